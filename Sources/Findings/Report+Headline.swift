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
        if let perFTE = caseloadPerFTESentence(s) { sentences.append(perFTE) }
        if let supervision = s.supervision, supervision.held + supervision.cancelled > 0 {
            sentences.append("Planned supervision was cancelled in \(supervision.cancelled) of \(supervision.held + supervision.cancelled) weeks where it was due.")
        }
        if let unpaid = s.unpaidHours {
            sentences.append("They worked \(Report.number(unpaid.total)) hours beyond their paid hours, \(Report.number(unpaid.mean)) a week on average.")
        }
        if let toil = s.toilHours {
            sentences.append("They took \(Report.number(toil.total)) hours back as time off in lieu, not counted against the unpaid hours.")
        }
        sentences += supervisionStandardSentences(s)
        if let lunch = s.lunchBreak, lunch.answered > 0 {
            sentences.append("They took no lunch break at all in \(Report.percent(lunch.share(LunchBreak.notTaken.rawValue))) of the weeks they answered for.")
        }
        if let leaving = s.intendingToLeave, leaving.answered > 0 {
            sentences.append("Of the \(leaving.answered) who said whether they intend to leave, \(leaving.answers[LeavingIntention.yes.rawValue] ?? 0) said yes.")
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

    /// The caseload per FTE beside the latest national average, only when the report shows it:
    /// the national figure is per FTE, so it is never set beside the raw caseload instead.
    private func caseloadPerFTESentence(_ s: CellStatistics) -> String? {
        guard let perFTE = s.caseloadPerFTE else { return nil }
        var sentence = "Scaled to a full-time week of \(Report.number(Report.fullTimeWeeklyHours)) hours, the median caseload was \(Report.number(perFTE.median))"
        if let national = latestNationalCaseloadPerFTE {
            sentence += ", against a national average of \(Report.number(national.value)) per case-holding FTE"
            if let year = national.year { sentence += " in \(year)" }
            sentence += " (DfE workforce census)"
        }
        return sentence + "."
    }

    /// Supervision against the LGA standard: within a month, newly qualified workers apart when
    /// they are shown, and full sessions.
    private func supervisionStandardSentences(_ s: CellStatistics) -> [String] {
        var sentences: [String] = []
        if let month = s.supervisionWithinMonth {
            var sentence = "Their last supervision was within about a month in \(month.meeting) of \(month.judged) person-months (\(Report.percent(month.share))); the standard is at least monthly"
            if let newlyQualified = s.supervisionWithinMonthNewlyQualified {
                sentence += ", and more often for the newly qualified, who were within a month in \(Report.percent(newlyQualified.share))"
            }
            sentences.append(sentence + ".")
        }
        if let sessions = s.supervisionFullSessions {
            sentences.append("\(Report.percent(sessions.share)) of supervision sessions were uninterrupted and at least \(Report.fullSessionMinutes) minutes long.")
        }
        return sentences
    }
}
