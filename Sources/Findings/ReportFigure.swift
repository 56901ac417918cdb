/// The figures a report shows, each held back on its own, and what each one means.
///
/// Every figure here is an atom of the report (`Report+Figures.swift`): shown only from months
/// where at least `minReporters` people gave it, with secondary suppression of its own. Its
/// `definition` is printed in the report's method statement, in every format.
enum ReportFigure: String, CaseIterable {
    case records
    case caseload
    case caseloadPerFTE = "caseload_fte"
    case unpaidHours = "unpaid_hours"
    case supervision
    case recording
    case supervisionMinutes = "supervision_minutes"
    case unallocatedCases = "unallocated_cases"
    case caseloadFamilies = "caseload_families"
    case toilHours = "hours_toil"
    case supervisionWithinMonth = "supervision_within_month"
    case supervisionWithinMonthNewlyQualified = "supervision_within_month_newly_qualified"
    case supervisionFullSessions = "supervision_full_sessions"
    case lunchBreak = "lunch_break"
    case intendingToLeave = "intending_to_leave"

    func isGiven(by record: EvidenceRecord) -> Bool {
        let metrics = record.metrics
        switch self {
        case .records: return true
        case .caseload: return metrics.caseload != nil
        case .caseloadPerFTE: return metrics.caseloadPerFTE != nil
        case .unpaidHours: return metrics.unpaidHours != nil
        case .supervision: return metrics.supervision != nil
        case .recording: return metrics.hoursRecording != nil && metrics.hoursDirect != nil
        case .supervisionMinutes: return metrics.supervisionMinutes != nil
        case .unallocatedCases: return metrics.unallocatedCases != nil
        case .caseloadFamilies: return metrics.caseloadFamilies != nil
        case .toilHours: return metrics.hoursToil != nil
        case .supervisionWithinMonth: return metrics.supervisedWithinMonth != nil
        case .supervisionWithinMonthNewlyQualified: return metrics.supervisedWithinMonth != nil && metrics.newlyQualified == true
        case .supervisionFullSessions: return (metrics.supervisionMinutes ?? 0) > 0 && metrics.supervisionUninterrupted != nil
        case .lunchBreak: return metrics.lunchBreak != nil
        case .intendingToLeave: return metrics.intendingToLeave != nil
        }
    }

    /// The figure this one is a part of, when it is drawn from some of its records: shown
    /// beside it, it would give away the rest (the parent minus the part), so it is held back
    /// unless the rest, too, is from no one or from at least `minReporters` people.
    var parent: ReportFigure? {
        self == .supervisionWithinMonthNewlyQualified ? .supervisionWithinMonth : nil
    }

    /// How the report names it.
    var name: String {
        switch self {
        case .records: "People and records"
        case .caseload: "Caseload (children)"
        case .caseloadPerFTE: "Caseload per FTE (children)"
        case .unpaidHours: "Unpaid hours"
        case .supervision: "Supervision held or cancelled"
        case .recording: "Time recording"
        case .supervisionMinutes: "Supervision minutes"
        case .unallocatedCases: "Unallocated cases"
        case .caseloadFamilies: "Caseload (families)"
        case .toilHours: "Time off in lieu (TOIL)"
        case .supervisionWithinMonth: "Supervised within a month"
        case .supervisionWithinMonthNewlyQualified: "Newly qualified, supervised within a month"
        case .supervisionFullSessions: "Full supervision sessions"
        case .lunchBreak: "No lunch break"
        case .intendingToLeave: "Intending to leave"
        }
    }

    /// What it measures, in plain words, for the method statement.
    var definition: String {
        switch self {
        case .records:
            "a record is one person's week, as they last shared it; people are counted month by month, by the key each signs a month's records with (one person's devices count once), and over several months as in the busiest month, since nothing links a person's months."
        case .caseload:
            "children allocated to the person, each child once, as the DfE workforce census counts cases: the median of the weekly records, and the 90th percentile from \(Report.percentileReporters) people or more. Families are never added to it."
        case .caseloadPerFTE:
            "the caseload in children scaled to a full-time week, as the DfE workforce census counts cases per case-holding full-time equivalent (FTE): caseload × \(Report.number(Report.fullTimeWeeklyHours)) ÷ hours paid, \(Report.number(Report.fullTimeWeeklyHours)) hours being the standard full-time week of the NJC Green Book for English councils. So a part-time worker's caseload is scaled up to a full-time week (12 children on 22.2 paid hours, 0.6 FTE, count as 20), and paid hours above \(Report.number(Report.fullTimeWeeklyHours)) scale it down. Drawn from records giving both a caseload of 1 or more (the census counts case-holding workers only) and at least \(Report.number(Report.minimumPaidHoursPerFTE)) paid hours (a tenth of a full-time week: fewer would multiply a caseload more than tenfold); other records are left out of this figure only. The median of the weekly records, and the 90th percentile from \(Report.percentileReporters) people or more. The census average is a mean over all case-holding FTE: a few very large caseloads raise a mean more than a median."
        case .unpaidHours:
            "hours worked beyond hours paid in the week (never below 0), from records giving both: the total and the mean per weekly record. Time off in lieu is not taken off them."
        case .supervision:
            "weekly records saying planned supervision was held, cancelled or not scheduled that week."
        case .recording:
            "hours on recording and case management systems as a share of those hours and hours of direct work with children and families together (BASW's 80-20), from records giving both."
        case .supervisionMinutes:
            "the median minutes of supervision received in a week, over the weekly records that give them."
        case .unallocatedCases:
            "the median of the cases waiting for a worker in the person's team, as each reported it (members of one team report the same count, so it is never added up)."
        case .caseloadFamilies:
            "families allocated, from those who count families too: the median (and the 90th percentile from \(Report.percentileReporters) people), a figure of its own, never added to or mixed with the caseload in children."
        case .toilHours:
            "hours taken back as time off in lieu in the week: the total and the mean per weekly record, beside unpaid hours and never subtracted from them."
        case .supervisionWithinMonth:
            "the LGA Standards for Employers ask for supervision at least monthly. Each person's month is judged once, by their last record of the calendar month that says: it meets the standard if their last supervision was in the record's week or in one of the \(Report.monthlySupervisionWeeks) weeks before it, so a month here is 4 to 5 weeks. Records carry only that yes or no, judged on the member's device: never the date or week of the supervision, which would tie a person's months together. A last supervision after the record's week is not judged."
        case .supervisionWithinMonthNewlyQualified:
            "the same, for workers in their assessed and supported year in employment (ASYE), shown only when they are \(Report.minimumReporters) people or more and the other people judged are none or \(Report.minimumReporters) or more; otherwise they count in the figure for everyone only. The standard asks more for them (weekly for the first six weeks, fortnightly to six months), so this is the least they are owed."
        case .supervisionFullSessions:
            "weeks with supervision (minutes above 0) where the person said whether it was interrupted; a session is full when it was uninterrupted and at least \(Report.fullSessionMinutes) minutes long, as LGA standard 5 asks."
        case .lunchBreak:
            "each week's answer: lunch breaks taken every working day, on some days (partly), or on none; shown: the weeks with none, of the weeks answered."
        case .intendingToLeave:
            "opt-in, asked of nobody: each person's latest answer in the period (yes, no or unsure) among those who chose to answer; shown: the people answering yes."
        }
    }
}

extension Report {
    /// A supervision in the record's week or up to this many weeks before it meets the monthly standard.
    public static let monthlySupervisionWeeks = 4
    /// The least minutes of a full session (LGA standard 5: "at least an hour and a half").
    public static let fullSessionMinutes = 90
}
