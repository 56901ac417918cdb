/// Every figure from enough people, and no two reports that give a held-back figure away.
///
/// A report is built from *atoms*: one row (the total, a category, a finding), one month and one
/// figure (the record count, caseload, unpaid hours, supervision: each `ReportFigure`), drawn from
/// the records of that row and month that give the figure. An atom is shown only when at least
/// `minReporters` people gave it, and, within its month, when no total-and-parts equation would
/// give a held-back atom away (secondary suppression, per figure, as `Report.suppressSecondary`
/// does); a figure drawn from part of another's records (newly qualified workers) also needs the
/// rest to be from no one or from `minReporters` people. A row's figure over the report's window
/// is computed from its shown atoms alone.
///
/// So a held-back atom's records take part in no figure of any report: two reports over any
/// windows differ only by shown atoms, and subtracting one from the other gives nothing that was
/// held back (`ReportDifferencingTests` tries every pair of windows).

/// A row of the report and which records belong to it.
struct ReportRow {
    var key: String
    var label: String
    var contains: (EvidenceRecord) -> Bool

    init(key: String, label: String, contains: @escaping (EvidenceRecord) -> Bool) {
        self.key = key
        self.label = label
        self.contains = contains
    }
}

/// The atoms of a report, settled: for each row and figure, the records of its shown atoms, and
/// whether any were held back (and whether only by the secondary rule).
struct FigureSettlement {
    private struct Held { var any = false; var primary = false }

    let records: [EvidenceRecord]
    private let reporters: [String]
    /// The month of each record: reporters are counted month by month.
    private let recordMonths: [ReportMonth]
    private let minReporters: Int
    /// [figure][row] → records of the row's shown atoms.
    private var shown: [ReportFigure: [Set<Int>]] = [:]
    private var held: [ReportFigure: [Held]] = [:]
    /// [month] → [figure] → the total row's atom, nil when held back.
    private var monthTotals: [ReportMonth: [ReportFigure: (members: Set<Int>, held: Held)]] = [:]

    init(records: [EvidenceRecord], rows: [ReportRow], months: [ReportMonth], margins: [SuppressionMargin], minReporters: Int) {
        self.records = records
        self.reporters = records.map(Report.reporterKey)
        self.recordMonths = records.map { ReportMonth(week: $0.week) }
        self.minReporters = minReporters
        for figure in ReportFigure.allCases {
            shown[figure] = Array(repeating: [], count: rows.count)
            held[figure] = Array(repeating: Held(), count: rows.count)
        }
        let byMonth = Dictionary(grouping: records.indices) { ReportMonth(week: records[$0].week) }
        for month in months {
            let inMonth = byMonth[month] ?? []
            func members(_ row: ReportRow, _ figure: ReportFigure) -> Set<Int> {
                Set(inMonth.filter { row.contains(records[$0]) && figure.isGiven(by: records[$0]) })
            }
            for figure in ReportFigure.allCases {
                let cells = rows.map { SuppressionCell(key: $0.key, members: members($0, figure), suppressed: false) }
                let rest = figure.parent.map { parent in rows.indices.map { members(rows[$0], parent).subtracting(cells[$0].members) } }
                let settled = settle(cells, rest: rest, margins: margins)
                for (row, cell) in settled.enumerated() where !cell.members.isEmpty {
                    if cell.suppressed {
                        held[figure]![row].any = true
                        if !cell.secondary { held[figure]![row].primary = true }
                    } else {
                        shown[figure]![row].formUnion(cell.members)
                    }
                }
                let total = settled[0]
                monthTotals[month, default: [:]][figure] = (total.suppressed ? [] : total.members,
                                                            Held(any: total.suppressed && !total.members.isEmpty, primary: !total.secondary))
            }
        }
    }

    /// Primary and secondary suppression at every threshold from `Report.minimumReporters` up to
    /// the report's, a cell held back if any of them holds it back. So a report with a higher
    /// `--min-reporters` shows a subset of what one with a lower shows, and the two together give
    /// nothing away: otherwise a cell held back at 3 only to protect another (secondary) could
    /// be shown at 4, where more is hidden, and subtracted out of the report at 3.
    ///
    /// `rest`, for a figure drawn from part of another's records (`ReportFigure.parent`), holds
    /// each row's other records of the parent: a part is held back when the rest is from fewer
    /// people than the threshold (but not none), or the parent minus the part would show them.
    private func settle(_ cells: [SuppressionCell], rest: [Set<Int>]?, margins: [SuppressionMargin]) -> [SuppressionCell] {
        var result = cells
        // Above the number of people in the report every non-empty cell is held back, as at
        // any greater threshold: the loop stops there, however large --min-reporters is.
        let highest = max(Report.minimumReporters, min(minReporters, Set(reporters).count + 1))
        for threshold in Report.minimumReporters...highest {
            let primary = cells.indices.map { index in
                var cell = cells[index]
                let restGivesAway = rest.map { (1..<threshold).contains(people($0[index])) } ?? false
                cell.suppressed = !cell.members.isEmpty && (people(cell.members) < threshold || restGivesAway)
                return cell
            }
            let settled = Report.suppressSecondary(primary, margins: margins, reporters: reporters, minReporters: threshold)
            for index in result.indices where settled[index].suppressed { result[index].suppressed = true }
        }
        // Secondary only when the report's own threshold would not hold it back on its own.
        for index in result.indices where result[index].suppressed {
            result[index].secondary = people(result[index].members) >= minReporters
        }
        return result
    }

    /// The people who gave `members`, counted in the month where most did. A person's records
    /// of two months are signed by two keys nothing links (Protocol.md 3.3), so a count over
    /// months would count them twice: the busiest month's count is the most that is known.
    func people(_ members: Set<Int>) -> Int {
        Dictionary(grouping: members) { recordMonths[$0] }.values.map { Set($0.map { reporters[$0] }).count }.max() ?? 0
    }

    /// The row's cell over the whole window.
    func cell(_ key: String, _ label: String, row: Int) -> ReportCell {
        cell(key, label, members: { shown[$0]![row] }, held: { held[$0]![row] })
    }

    /// The records of the row's shown months.
    func shownRecords(_ row: Int) -> Set<Int> { shown[.records]![row] }

    /// The month's total cell.
    func monthCell(_ month: ReportMonth) -> ReportCell {
        let atoms = monthTotals[month] ?? [:]
        return cell(month.description, month.label, members: { atoms[$0]?.members ?? [] }, held: { atoms[$0]?.held ?? Held() })
    }

    private func cell(_ key: String, _ label: String, members: (ReportFigure) -> Set<Int>, held: (ReportFigure) -> Held) -> ReportCell {
        let base = members(.records)
        guard !base.isEmpty || held(.records).any else {
            return ReportCell(key: key, label: label, suppressed: false,
                              statistics: CellStatistics(records: 0, reporters: 0, caseload: nil, unpaidHours: nil, supervision: nil, heldBack: []))
        }
        guard !base.isEmpty else {
            return ReportCell(key: key, label: label, suppressed: true, secondary: !held(.records).primary, statistics: nil)
        }
        let heldBack = ReportFigure.allCases.dropFirst().filter { members($0).isEmpty && held($0).any }.map(\.rawValue)
        var statistics = CellStatistics(
            records: base.count, reporters: people(base), caseload: caseload(members(.caseload)) { $0.caseload.map(Double.init) },
            unpaidHours: hours(members(.unpaidHours)) { $0.unpaidHours }, supervision: supervision(members(.supervision)), heldBack: heldBack)
        statistics.caseloadPerFTE = caseload(members(.caseloadPerFTE)) { $0.caseloadPerFTE }
        statistics.recording = recording(members(.recording))
        statistics.supervisionMinutes = median(members(.supervisionMinutes)) { $0.supervisionMinutes.map(Double.init) }
        statistics.unallocatedCases = median(members(.unallocatedCases)) { $0.unallocatedCases.map(Double.init) }
        statistics.caseloadFamilies = caseload(members(.caseloadFamilies)) { $0.caseloadFamilies.map(Double.init) }
        statistics.toilHours = hours(members(.toilHours)) { $0.hoursToil }
        statistics.supervisionWithinMonth = supervisedWithinMonth(members(.supervisionWithinMonth))
        statistics.supervisionWithinMonthNewlyQualified = supervisedWithinMonth(members(.supervisionWithinMonthNewlyQualified))
        statistics.supervisionFullSessions = fullSessions(members(.supervisionFullSessions))
        statistics.lunchBreak = answers(members(.lunchBreak), choices: LunchBreak.allCases.map(\.rawValue),
                                       latestPerPerson: false) { $0.lunchBreak?.rawValue }
        statistics.intendingToLeave = answers(members(.intendingToLeave), choices: LeavingIntention.allCases.map(\.rawValue),
                                             latestPerPerson: true) { $0.intendingToLeave?.rawValue }
        return ReportCell(key: key, label: label, suppressed: false, statistics: statistics)
    }
}
