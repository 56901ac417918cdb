/// The columns of a report's tables: the CSV's, every figure in full, and the Markdown and HTML
/// tables', one or two numbers a figure. Each column says what it shows of a cell's figures.
extension Report {
    /// A column: its heading, the figure it shows (none for the counts of people and records, and
    /// in the CSV, which has no "held back" in a column), and its value for a shown cell (nil:
    /// nobody gave the figure).
    struct Column: Sendable {
        var heading: String
        var figure: ReportFigure?
        var value: @Sendable (CellStatistics) -> String?

        init(_ heading: String, _ figure: ReportFigure? = nil, _ value: @escaping @Sendable (CellStatistics) -> String?) {
            self.heading = heading
            self.figure = figure
            self.value = value
        }
    }

    /// The CSV's columns: every figure in full, its counts beside it.
    static let figureColumnList: [Column] = [
        Column("records") { String($0.records) }, Column("reporters") { String($0.reporters) },
        Column("caseload_records") { $0.caseload.map { String($0.records) } },
        Column("caseload_reporters") { $0.caseload.map { String($0.reporters) } },
        Column("caseload_median") { $0.caseload.map { number($0.median) } },
        Column("caseload_p90") { $0.caseload?.p90.map(number) },
        Column("caseload_fte_records") { $0.caseloadPerFTE.map { String($0.records) } },
        Column("caseload_fte_reporters") { $0.caseloadPerFTE.map { String($0.reporters) } },
        Column("caseload_fte_median") { $0.caseloadPerFTE.map { number($0.median) } },
        Column("caseload_fte_p90") { $0.caseloadPerFTE?.p90.map(number) },
        Column("unpaid_records") { $0.unpaidHours.map { String($0.records) } },
        Column("unpaid_reporters") { $0.unpaidHours.map { String($0.reporters) } },
        Column("unpaid_hours_total") { $0.unpaidHours.map { number($0.total) } },
        Column("unpaid_hours_mean") { $0.unpaidHours.map { number($0.mean) } },
        Column("supervision_records") { $0.supervision.map { String($0.records) } },
        Column("supervision_held") { $0.supervision.map { String($0.held) } },
        Column("supervision_cancelled") { $0.supervision.map { String($0.cancelled) } },
        Column("supervision_not_scheduled") { $0.supervision.map { String($0.notScheduled) } },
        Column("recording_records") { $0.recording.map { String($0.records) } },
        Column("recording_hours") { $0.recording.map { number($0.recordingHours) } },
        Column("direct_hours") { $0.recording.map { number($0.directHours) } },
        Column("recording_share") { $0.recording.map { percent($0.recordingShare) } },
        Column("supervision_minutes_records") { $0.supervisionMinutes.map { String($0.records) } },
        Column("supervision_minutes_median") { $0.supervisionMinutes.map { number($0.median) } },
        Column("unallocated_records") { $0.unallocatedCases.map { String($0.records) } },
        Column("unallocated_cases_median") { $0.unallocatedCases.map { number($0.median) } },
        Column("caseload_families_records") { $0.caseloadFamilies.map { String($0.records) } },
        Column("caseload_families_median") { $0.caseloadFamilies.map { number($0.median) } },
        Column("caseload_families_p90") { $0.caseloadFamilies?.p90.map(number) },
        Column("toil_records") { $0.toilHours.map { String($0.records) } },
        Column("toil_hours_total") { $0.toilHours.map { number($0.total) } },
        Column("toil_hours_mean") { $0.toilHours.map { number($0.mean) } },
        Column("supervision_month_judged") { $0.supervisionWithinMonth.map { String($0.judged) } },
        Column("supervision_month_within") { $0.supervisionWithinMonth.map { String($0.meeting) } },
        Column("supervision_month_share") { $0.supervisionWithinMonth.map { percent($0.share) } },
        Column("supervision_month_nq_judged") { $0.supervisionWithinMonthNewlyQualified.map { String($0.judged) } },
        Column("supervision_month_nq_within") { $0.supervisionWithinMonthNewlyQualified.map { String($0.meeting) } },
        Column("supervision_month_nq_share") { $0.supervisionWithinMonthNewlyQualified.map { percent($0.share) } },
        Column("supervision_sessions") { $0.supervisionFullSessions.map { String($0.judged) } },
        Column("supervision_sessions_full") { $0.supervisionFullSessions.map { String($0.meeting) } },
        Column("supervision_sessions_full_share") { $0.supervisionFullSessions.map { percent($0.share) } },
        Column("lunch_records") { $0.lunchBreak.map { String($0.records) } },
        Column("lunch_taken") { $0.lunchBreak.map { String($0.answers[LunchBreak.taken.rawValue] ?? 0) } },
        Column("lunch_partly") { $0.lunchBreak.map { String($0.answers[LunchBreak.partly.rawValue] ?? 0) } },
        Column("lunch_not_taken") { $0.lunchBreak.map { String($0.answers[LunchBreak.notTaken.rawValue] ?? 0) } },
        Column("leaving_people") { $0.intendingToLeave.map { String($0.answered) } },
        Column("leaving_yes") { $0.intendingToLeave.map { String($0.answers[LeavingIntention.yes.rawValue] ?? 0) } },
        Column("leaving_no") { $0.intendingToLeave.map { String($0.answers[LeavingIntention.no.rawValue] ?? 0) } },
        Column("leaving_unsure") { $0.intendingToLeave.map { String($0.answers[LeavingIntention.unsure.rawValue] ?? 0) } },
        Column("leaving_yes_share") { $0.intendingToLeave.map { percent($0.share(LeavingIntention.yes.rawValue)) } },
        Column("held_back") { $0.heldBack.joined(separator: " ") },
    ]

    /// The CSV's figure columns, in order; `held_back` is last.
    static let figureColumns = figureColumnList.map(\.heading)

    /// A cell's figures under `figureColumns`: empty where nobody gave a figure; a held-back row
    /// has every figure empty and `held back` last.
    static func figures(_ cell: ReportCell) -> [String] {
        guard let s = cell.statistics else { return Array(repeating: "", count: figureColumns.count - 1) + [suppressedMark] }
        return figureColumnList.map { $0.value(s) ?? "" }
    }

    /// The columns of the Markdown and HTML tables: a figure, "–" where nobody gave it, or "held back".
    static let displayColumnList: [Column] = [
        Column("People") { String($0.reporters) }, Column("Records") { String($0.records) },
        Column("Caseload median (children)", .caseload) { $0.caseload.map { number($0.median) } },
        Column("Caseload p90", .caseload) { $0.caseload.map { $0.p90.map(number) ?? "–" } },
        Column("Caseload per FTE median", .caseloadPerFTE) { $0.caseloadPerFTE.map { number($0.median) } },
        Column("Caseload per FTE p90", .caseloadPerFTE) { $0.caseloadPerFTE.map { $0.p90.map(number) ?? "–" } },
        Column("Unpaid hours total", .unpaidHours) { $0.unpaidHours.map { number($0.total) } },
        Column("Unpaid hours mean", .unpaidHours) { $0.unpaidHours.map { number($0.mean) } },
        Column("Supervision held", .supervision) { $0.supervision.map { String($0.held) } },
        Column("Supervision cancelled", .supervision) { $0.supervision.map { String($0.cancelled) } },
        Column("Supervision minutes (median)", .supervisionMinutes) { $0.supervisionMinutes.map { number($0.median) } },
        Column("Time recording", .recording) { $0.recording.map { percent($0.recordingShare) } },
        Column("Unallocated cases (median)", .unallocatedCases) { $0.unallocatedCases.map { number($0.median) } },
        Column("Caseload median (families)", .caseloadFamilies) { $0.caseloadFamilies.map { number($0.median) } },
        Column("TOIL hours total", .toilHours) { $0.toilHours.map { number($0.total) } },
        Column("Supervised within a month", .supervisionWithinMonth) { $0.supervisionWithinMonth.map(share) },
        Column("Newly qualified supervised within a month", .supervisionWithinMonthNewlyQualified) {
            $0.supervisionWithinMonthNewlyQualified.map(share)
        },
        Column("Full supervision sessions", .supervisionFullSessions) { $0.supervisionFullSessions.map(share) },
        Column("No lunch break (weeks)", .lunchBreak) { $0.lunchBreak.map { share($0, LunchBreak.notTaken.rawValue) } },
        Column("Intending to leave", .intendingToLeave) { $0.intendingToLeave.map { share($0, LeavingIntention.yes.rawValue) } },
    ]

    /// The headings of the Markdown and HTML tables.
    static let displayColumns = displayColumnList.map(\.heading)

    /// A shown cell's figures under `displayColumns`: a figure, "–" where nobody gave it, or
    /// "held back".
    static func displayFigures(_ s: CellStatistics) -> [String] {
        displayColumnList.map { column in
            if let shown = column.value(s) { return shown }
            return column.figure.map { s.heldBack.contains($0.rawValue) } == true ? suppressedMark : "–"
        }
    }

    /// A share as a whole percentage: `62 %`.
    static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "–" }
        return "\(Int((share * 100).rounded())) %"
    }

    /// `2 of 3 (67 %)`: how many meet a standard, of how many judged.
    static func share(_ summary: ShareSummary) -> String {
        "\(summary.meeting) of \(summary.judged) (\(percent(summary.share)))"
    }

    /// `2 of 3 (67 %)`: how many gave `answer`, of how many answered.
    static func share(_ summary: AnswerSummary, _ answer: String) -> String {
        "\(summary.answers[answer] ?? 0) of \(summary.answered) (\(percent(summary.share(answer))))"
    }
}
