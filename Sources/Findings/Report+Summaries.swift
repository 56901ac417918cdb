/// Each figure of a cell from the records of its shown atoms (`FigureSettlement.cell`).
extension FigureSettlement {
    func caseload(_ members: Set<Int>, of value: (EvidenceMetrics) -> Double?) -> CaseloadSummary? {
        let values = members.compactMap { value(records[$0].metrics) }.sorted()
        guard !values.isEmpty else { return nil }
        let people = people(members)
        return CaseloadSummary(records: values.count, reporters: people, median: Report.percentile(values, 0.5),
                               p90: people >= Report.percentileReporters ? Report.percentile(values, 0.9) : nil)
    }

    func hours(_ members: Set<Int>, of value: (EvidenceMetrics) -> Double?) -> HoursSummary? {
        let values = members.compactMap { value(records[$0].metrics) }
        guard !values.isEmpty else { return nil }
        let total = values.reduce(0, +)
        return HoursSummary(records: values.count, reporters: people(members), total: total, mean: total / Double(values.count))
    }

    func supervision(_ members: Set<Int>) -> SupervisionSummary? {
        let values = members.compactMap { records[$0].metrics.supervision }
        guard !values.isEmpty else { return nil }
        return SupervisionSummary(records: values.count, reporters: people(members), held: values.filter { $0 == .held }.count,
                                  cancelled: values.filter { $0 == .cancelled }.count,
                                  notScheduled: values.filter { $0 == .notScheduled }.count)
    }

    func recording(_ members: Set<Int>) -> RecordingSummary? {
        let pairs = members.compactMap { index -> (Double, Double)? in
            guard let recording = records[index].metrics.hoursRecording, let direct = records[index].metrics.hoursDirect else { return nil }
            return (recording, direct)
        }
        guard !pairs.isEmpty else { return nil }
        let recording = pairs.map(\.0).reduce(0, +), direct = pairs.map(\.1).reduce(0, +)
        return RecordingSummary(records: pairs.count, reporters: people(members), recordingHours: recording, directHours: direct,
                                recordingShare: recording + direct > 0 ? recording / (recording + direct) : 0)
    }

    func median(_ members: Set<Int>, of value: (EvidenceMetrics) -> Double?) -> MedianSummary? {
        let values = members.compactMap { value(records[$0].metrics) }.sorted()
        guard !values.isEmpty else { return nil }
        return MedianSummary(records: values.count, reporters: people(members), median: Report.percentile(values, 0.5))
    }

    /// Person-months: each person's last record of each calendar month, judged against the
    /// monthly standard. Whole months are the report's atoms, so these add up across months.
    func supervisedWithinMonth(_ members: Set<Int>) -> ShareSummary? {
        guard !members.isEmpty else { return nil }
        let lastOfMonth = latest(members) { "\(Report.reporterKey(records[$0]))\u{0}\(ReportMonth(week: records[$0].week))" }
        let meeting = lastOfMonth.filter { records[$0].metrics.supervisedWithinMonth == true }
        return ShareSummary(records: members.count, reporters: people(members), judged: lastOfMonth.count, meeting: meeting.count)
    }

    /// Weekly sessions, full when uninterrupted and at least `Report.fullSessionMinutes` long.
    func fullSessions(_ members: Set<Int>) -> ShareSummary? {
        guard !members.isEmpty else { return nil }
        let full = members.filter {
            records[$0].metrics.supervisionUninterrupted == true && (records[$0].metrics.supervisionMinutes ?? 0) >= Report.fullSessionMinutes
        }
        return ShareSummary(records: members.count, reporters: people(members), judged: members.count, meeting: full.count)
    }

    /// How many gave each of `choices`: per weekly record, or per person (their latest answer).
    func answers(_ members: Set<Int>, choices: [String], latestPerPerson: Bool, of answer: (EvidenceMetrics) -> String?) -> AnswerSummary? {
        guard !members.isEmpty else { return nil }
        let counted = latestPerPerson ? latest(members) { Report.reporterKey(records[$0]) } : Array(members)
        var answers = Dictionary(uniqueKeysWithValues: choices.map { ($0, 0) })
        for index in counted { if let given = answer(records[index].metrics) { answers[given, default: 0] += 1 } }
        return AnswerSummary(records: members.count, reporters: people(members), answers: answers)
    }

    /// Of the records grouped by `key`, the one of the latest week in each group.
    private func latest(_ members: Set<Int>, by key: (Int) -> String) -> [Int] {
        Dictionary(grouping: members, by: key).values.map { group in group.max { (records[$0].week, $0) < (records[$1].week, $1) }! }
    }
}
