import Foundation

/// Caseload figures for a cell. Percentiles interpolate linearly between the closest ranks
/// (Hyndman & Fan type 7, the default of R, NumPy and spreadsheets' PERCENTILE.INC).
public struct CaseloadSummary: Sendable, Hashable, Codable {
    public var records: Int
    public var median: Double
    public var p90: Double
    public var maximum: Int
}

/// Unpaid hours (hours worked − hours paid, never below 0) over the records that give both.
public struct UnpaidHoursSummary: Sendable, Hashable, Codable {
    public var records: Int
    public var total: Double
    public var mean: Double
}

/// How many records say supervision was held, cancelled or not scheduled.
public struct SupervisionSummary: Sendable, Hashable, Codable {
    public var held: Int
    public var cancelled: Int
    public var notScheduled: Int

    enum CodingKeys: String, CodingKey {
        case held, cancelled
        case notScheduled = "not_scheduled"
    }
}

/// The figures of one report cell.
public struct CellStatistics: Sendable, Hashable, Codable {
    public var records: Int
    public var reporters: Int
    public var caseload: CaseloadSummary?
    public var unpaidHours: UnpaidHoursSummary?
    public var supervision: SupervisionSummary

    enum CodingKeys: String, CodingKey {
        case records, reporters, caseload, supervision
        case unpaidHours = "unpaid_hours"
    }
}

/// One row of a report: a category, a finding, a week or the total. When fewer than the report's
/// `minReporters` distinct reporters contributed, `suppressed` is true and `statistics` is nil:
/// not even the record count is shown. `secondary` marks a cell suppressed only because, with
/// its total, it would give another suppressed cell away (see `Report+Suppression.swift`).
public struct ReportCell: Sendable, Hashable, Codable {
    public var key: String
    public var label: String
    public var suppressed: Bool
    public var secondary: Bool
    public var statistics: CellStatistics?

    public init(key: String, label: String, suppressed: Bool, secondary: Bool = false, statistics: CellStatistics?) {
        self.key = key
        self.label = label
        self.suppressed = suppressed
        self.secondary = secondary
        self.statistics = statistics
    }
}

/// A finding a report cites.
public struct ReportCitation: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var publisher: String
    public var authority: String
    public var published: String
    public var quote: String
    public var source: String
    public var quotedIn: String?

    enum CodingKeys: String, CodingKey {
        case id, title, publisher, authority, published, quote, source
        case quotedIn = "quoted_in"
    }
}

/// A union rep's report over evidence records: per category, per finding and per week, with
/// small-number suppression. Build with `Report.build`, render with `render(_:)`.
public struct Report: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, CaseIterable {
        case markdown = "md", csv, json, html

        /// From a file name's extension (`.md`, `.markdown`, `.csv`, `.json`, `.html`, `.htm`),
        /// case-insensitively; nil for any other name.
        public init?(fileName: String) {
            switch (fileName as NSString).pathExtension.lowercased() {
            case "md", "markdown": self = .markdown
            case "csv": self = .csv
            case "json": self = .json
            case "html", "htm": self = .html
            default: return nil
            }
        }
    }

    /// The first and last ISO weeks included (from `since` / `until`), if limited.
    public var sinceWeek: String?
    public var untilWeek: String?
    public var minReporters: Int
    public var total: ReportCell
    /// Every category that has records, in `FindingCategory` order.
    public var categories: [ReportCell]
    /// Every cited finding that has records, by id.
    public var findings: [ReportCell]
    /// Every week from the first to the last with records, gaps included (as zero, not suppressed);
    /// only the weeks with records when they span more than `maximumWeekSpan` weeks.
    public var weeks: [ReportCell]
    /// The findings the evidence links to, with their sources.
    public var citations: [ReportCitation]
    /// Records left out because they break `EvidenceLimits`: malformed or incomplete, or holding
    /// values no device writes (only a faulty or hostile device can have sent them).
    public var refusedRecords: Int

    enum CodingKeys: String, CodingKey {
        case total, categories, findings, weeks, citations
        case refusedRecords = "refused_records"
        case sinceWeek = "since_week"
        case untilWeek = "until_week"
        case minReporters = "min_reporters"
    }

    /// Builds a report.
    /// - Parameters:
    ///   - records: evidence records (read from the evidence space). A record without a reporter
    ///     counts as one shared "unknown" reporter, which can only suppress more, never less.
    ///   - since, until: include records whose ISO week contains or follows `since` and contains or
    ///     precedes `until` (weeks are UTC).
    ///   - minReporters: cells drawn from fewer distinct reporters are suppressed; at least 1 (default 3).
    ///   - catalog: for finding titles and citations; findings it does not know are cited by id only.
    ///   - refused: records the store already left out (`EvidenceReading.refused`). Any of
    ///     `records` that breaks `EvidenceLimits` is left out too and counted with them.
    public static func build(
        records: [EvidenceRecord], refused: Int = 0, since: Date? = nil, until: Date? = nil, minReporters: Int = 3,
        catalog: FindingsCatalog? = nil
    ) throws(FindingsError) -> Report {
        guard minReporters >= 1 else {
            throw FindingsError(.invalidReportParameter, "--min-reporters must be at least 1 (got \(minReporters)); the default is 3")
        }
        let sinceWeek = since.map(ISOWeek.init(date:))
        let untilWeek = until.map(ISOWeek.init(date:))
        if let sinceWeek, let untilWeek, sinceWeek > untilWeek {
            throw FindingsError(.invalidReportParameter, "--since (\(sinceWeek)) is after --until (\(untilWeek))")
        }
        let catalog = catalog ?? (try? FindingsCatalog())
        let valid = records.filter { EvidenceLimits.problem($0) == nil }
        let included = valid.filter { record in
            (sinceWeek.map { record.week >= $0 } ?? true) && (untilWeek.map { record.week <= $0 } ?? true)
        }

        // Every cell keeps its figures and records until suppression is settled.
        func cell(_ key: String, _ label: String, where member: (EvidenceRecord) -> Bool, zeroIsShown: Bool = false) -> SuppressionCell {
            let members = Set(included.indices.filter { member(included[$0]) })
            let statistics = Report.statistics(members.sorted().map { included[$0] })
            let suppressed = statistics.reporters < minReporters && !(zeroIsShown && statistics.records == 0)
            return SuppressionCell(cell: ReportCell(key: key, label: label, suppressed: suppressed, statistics: statistics), members: members)
        }

        var cells = [cell("total", "All evidence", where: { _ in true })]
        var categoryIndices: [FindingCategory: Int] = [:]
        for category in FindingCategory.allCases where included.contains(where: { $0.categories.contains(category) }) {
            categoryIndices[category] = cells.count
            cells.append(cell(category.rawValue, category.summary, where: { $0.categories.contains(category) }))
        }
        let findingIDs = Set(included.flatMap(\.findings)).sorted()
        var findingIndices: [String: Int] = [:]
        for id in findingIDs {
            findingIndices[id] = cells.count
            cells.append(cell(id, catalog?.finding(id)?.title ?? id, where: { $0.findings.contains(id) }))
        }
        var weekIndices: [Int] = []
        for week in weekRows(Set(included.map(\.week))) {
            weekIndices.append(cells.count)
            cells.append(cell(week.description, week.description, where: { $0.week == week }, zeroIsShown: true))
        }
        // The tables a reader could add up: the total from the weeks and from the categories, and
        // each category from its findings.
        var margins = [
            SuppressionMargin(margin: 0, parts: weekIndices),
            SuppressionMargin(margin: 0, parts: categoryIndices.values.sorted()),
        ]
        for (category, index) in categoryIndices.sorted(by: { $0.value < $1.value }) {
            let parts = findingIDs.filter { catalog?.finding($0)?.category == category }.compactMap { findingIndices[$0] }
            margins.append(SuppressionMargin(margin: index, parts: parts))
        }
        let settled = Report.suppressSecondary(
            cells, margins: margins, reporters: included.map(Report.reporterKey), minReporters: minReporters)
        let total = settled[0]
        let categories = categoryIndices.values.sorted().map { settled[$0] }
        let findings = findingIDs.compactMap { findingIndices[$0] }.map { settled[$0] }
        let weeks = weekIndices.map { settled[$0] }
        let citations = findingIDs.map { id -> ReportCitation in
            if let finding = catalog?.finding(id) {
                return ReportCitation(id: id, title: finding.title, publisher: finding.publisher, authority: finding.authority,
                                      published: finding.published, quote: finding.quote, source: finding.source, quotedIn: finding.quotedIn)
            }
            return ReportCitation(id: id, title: id, publisher: "", authority: "", published: "", quote: "",
                                  source: "not in this device's catalog", quotedIn: nil)
        }
        return Report(sinceWeek: sinceWeek?.description, untilWeek: untilWeek?.description, minReporters: minReporters,
                      total: total, categories: categories, findings: findings, weeks: weeks, citations: citations,
                      refusedRecords: min(max(0, refused), Int.max / 2) + records.count - valid.count)
    }

    /// The most weeks the week-by-week table fills in between the first and the last.
    static let maximumWeekSpan = 1_000

    /// The weeks of the week-by-week table: every week from the first to the last with records,
    /// or, when they span more than `maximumWeekSpan` weeks (a record dated decades away, which
    /// would push every other week out), only the weeks with records.
    static func weekRows(_ weeks: Set<ISOWeek>) -> [ISOWeek] {
        guard let first = weeks.min(), let last = weeks.max() else { return [] }
        var filled: [ISOWeek] = []
        var week = first
        while week <= last {
            guard filled.count < maximumWeekSpan else { return weeks.sorted() }
            filled.append(week)
            week = week.next
        }
        return filled
    }

    /// Who made a record, for counting distinct reporters: records without one count as one shared reporter.
    static func reporterKey(_ record: EvidenceRecord) -> String { record.reporter ?? "\u{0}unknown" }

    static func statistics(_ records: [EvidenceRecord]) -> CellStatistics {
        let reporters = Set(records.map(reporterKey)).count
        let caseloads = records.compactMap(\.metrics.caseload).sorted()
        let caseload = caseloads.isEmpty ? nil : CaseloadSummary(
            records: caseloads.count,
            median: percentile(caseloads.map(Double.init), 0.5),
            p90: percentile(caseloads.map(Double.init), 0.9),
            maximum: caseloads.last!)
        let unpaid = records.compactMap(\.metrics.unpaidHours)
        let unpaidHours = unpaid.isEmpty ? nil : UnpaidHoursSummary(
            records: unpaid.count, total: unpaid.reduce(0, +), mean: unpaid.reduce(0, +) / Double(unpaid.count))
        let supervision = SupervisionSummary(
            held: records.filter { $0.metrics.supervision == .held }.count,
            cancelled: records.filter { $0.metrics.supervision == .cancelled }.count,
            notScheduled: records.filter { $0.metrics.supervision == .notScheduled }.count)
        return CellStatistics(records: records.count, reporters: reporters, caseload: caseload,
                              unpaidHours: unpaidHours, supervision: supervision)
    }

    /// The `p` quantile (0…1) of ascending `sorted` values, interpolating linearly between closest ranks.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty && (0...1).contains(p))
        let position = Double(sorted.count - 1) * p
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// Parses a `--since` / `--until` date: `YYYY-MM-DD` (UTC) or an ISO week `YYYY-Www` (its Monday).
    public static func parseDate(_ text: String) throws(FindingsError) -> Date {
        if let week = ISOWeek(text) { return week.monday }
        let parts = text.split(separator: "-")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        if parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
           let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
           calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month {
            return date
        }
        throw FindingsError(.invalidReportParameter, "\"\(text)\" is not a date: use 2026-05-01, 2026-05-01 10:22, an ISO week like 2026-W47, or ISO 8601")
    }
}
