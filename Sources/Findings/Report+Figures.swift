/// Every figure from enough people, and no two reports that give a held-back figure away.
///
/// A report is built from *atoms*: one row (the total, a category, a finding), one month and one
/// figure (the record count, caseload, unpaid hours, supervision), drawn from the records of that
/// row and month that give the figure. An atom is shown only when at least `minReporters` people
/// gave it, and, within its month, when no total-and-parts equation would give a held-back atom
/// away (secondary suppression, per figure, as `Report.suppressSecondary` does). A row's figure
/// over the report's window is computed from its shown atoms alone.
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

/// The figures a report shows, each held back on its own.
enum ReportFigure: String, CaseIterable {
    case records
    case caseload
    case unpaidHours = "unpaid_hours"
    case supervision
    case recording
    case supervisionMinutes = "supervision_minutes"
    case unallocatedCases = "unallocated_cases"

    func isGiven(by record: EvidenceRecord) -> Bool {
        switch self {
        case .records: true
        case .caseload: record.metrics.caseload != nil
        case .unpaidHours: record.metrics.unpaidHours != nil
        case .supervision: record.metrics.supervision != nil
        case .recording: record.metrics.hoursRecording != nil && record.metrics.hoursDirect != nil
        case .supervisionMinutes: record.metrics.supervisionMinutes != nil
        case .unallocatedCases: record.metrics.unallocatedCases != nil
        }
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
            for figure in ReportFigure.allCases {
                let cells = rows.map { row in
                    SuppressionCell(key: row.key, members: Set(inMonth.filter { row.contains(records[$0]) && figure.isGiven(by: records[$0]) }),
                                    suppressed: false)
                }
                let settled = settle(cells, margins: margins)
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
    private func settle(_ cells: [SuppressionCell], margins: [SuppressionMargin]) -> [SuppressionCell] {
        var result = cells
        // Above the number of people in the report every non-empty cell is held back, as at
        // any greater threshold: the loop stops there, however large --min-reporters is.
        let highest = max(Report.minimumReporters, min(minReporters, Set(reporters).count + 1))
        for threshold in Report.minimumReporters...highest {
            let primary = cells.map { cell in
                var cell = cell
                cell.suppressed = !cell.members.isEmpty && people(cell.members) < threshold
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
            records: base.count, reporters: people(base), caseload: caseload(members(.caseload)),
            unpaidHours: unpaidHours(members(.unpaidHours)), supervision: supervision(members(.supervision)), heldBack: heldBack)
        statistics.recording = recording(members(.recording))
        statistics.supervisionMinutes = median(members(.supervisionMinutes)) { $0.supervisionMinutes.map(Double.init) }
        statistics.unallocatedCases = median(members(.unallocatedCases)) { $0.unallocatedCases.map(Double.init) }
        return ReportCell(key: key, label: label, suppressed: false, statistics: statistics)
    }

    private func caseload(_ members: Set<Int>) -> CaseloadSummary? {
        let values = members.compactMap { records[$0].metrics.caseload }.sorted().map(Double.init)
        guard !values.isEmpty else { return nil }
        let people = people(members)
        return CaseloadSummary(records: values.count, reporters: people, median: Report.percentile(values, 0.5),
                               p90: people >= Report.percentileReporters ? Report.percentile(values, 0.9) : nil)
    }

    private func unpaidHours(_ members: Set<Int>) -> UnpaidHoursSummary? {
        let values = members.compactMap { records[$0].metrics.unpaidHours }
        guard !values.isEmpty else { return nil }
        let total = values.reduce(0, +)
        return UnpaidHoursSummary(records: values.count, reporters: people(members), total: total, mean: total / Double(values.count))
    }

    private func supervision(_ members: Set<Int>) -> SupervisionSummary? {
        let values = members.compactMap { records[$0].metrics.supervision }
        guard !values.isEmpty else { return nil }
        return SupervisionSummary(records: values.count, reporters: people(members), held: values.filter { $0 == .held }.count,
                                  cancelled: values.filter { $0 == .cancelled }.count,
                                  notScheduled: values.filter { $0 == .notScheduled }.count)
    }
}
