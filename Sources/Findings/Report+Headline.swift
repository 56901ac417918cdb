extension Report {
    /// The report in a few plain sentences, for the top of the page: from the total's shown
    /// figures only, so it says nothing a table holds back.
    var headline: String {
        guard let s = total.statistics, s.records > 0 else {
            return "No figures can be shown yet: in no month have \(minReporters) or more people shared evidence."
        }
        // People are counted month by month (their months cannot be linked): over several
        // months the count is that of the busiest month, and says so.
        let people = months.count > 1 ? "At least \(s.reporters) people (the most in any one month)" : "\(s.reporters) people"
        var sentences = ["\(people) shared \(s.records) weekly record\(s.records == 1 ? "" : "s") (\(period))."]
        if let caseload = s.caseload {
            let top = caseload.p90.map { ", and one in ten held \(Report.number($0)) or more" } ?? ""
            sentences.append("Their median caseload was \(Report.number(caseload.median))\(top).")
        }
        if let supervision = s.supervision, supervision.held + supervision.cancelled > 0 {
            sentences.append("Planned supervision was cancelled in \(supervision.cancelled) of \(supervision.held + supervision.cancelled) weeks where it was due.")
        }
        if let unpaid = s.unpaidHours {
            sentences.append("They worked \(Report.number(unpaid.total)) hours beyond their paid hours, \(Report.number(unpaid.mean)) a week on average.")
        }
        if let recording = s.recording {
            sentences.append("Recording took \(Report.percent(recording.recordingShare)) of the time spent recording or working directly with children and families.")
        }
        if let minutes = s.supervisionMinutes {
            sentences.append("Supervision, where it was held, lasted a median of \(Report.number(minutes.median)) minutes.")
        }
        if let unallocated = s.unallocatedCases {
            sentences.append("Their teams reported a median of \(Report.number(unallocated.median)) unallocated cases.")
        }
        if !s.heldBack.isEmpty {
            sentences.append("Some figures are held back because fewer than \(minReporters) people gave them.")
        }
        return sentences.joined(separator: " ")
    }
}
