import Foundation

/// One row of a report: the total, a category, a finding or a month. When the row's records come
/// from fewer than the report's `minReporters` people in every month, `suppressed` is true and
/// `statistics` is nil: not even the record count is shown. `secondary` marks a row held back only
/// because, with its total, it would give another held-back row away (`Report+Suppression.swift`).
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
    public var verifiedIn: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, title, publisher, authority, published, quote, source
        case quotedIn = "quoted_in"
        case verifiedIn = "verified_in"
    }
}

/// A union rep's report over evidence records: the total, per category, per finding and per
/// month, every figure from at least `minReporters` people. Build with `Report.build`, render
/// with `render(_:)`.
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

    /// The least `minReporters` a report accepts: fewer people would let a figure identify one.
    public static let minimumReporters = 3
    /// The least people a percentile above the median is drawn from.
    public static let percentileReporters = 10

    /// The first and last months included (from `since` / `until`, widened to whole months), if limited.
    public var sinceMonth: String?
    public var untilMonth: String?
    public var minReporters: Int
    public var total: ReportCell
    /// Every category that has records, in `FindingCategory` order.
    public var categories: [ReportCell]
    /// Every cited finding that has records, by id.
    public var findings: [ReportCell]
    /// Every month from the first to the last with records, gaps included (as zero, not suppressed);
    /// only the months with records when they span more than `maximumMonthSpan` months.
    public var months: [ReportCell]
    /// The findings the evidence links to, with their sources.
    public var citations: [ReportCitation]
    /// National figures set beside the report's own, each cited (`Benchmark.national`).
    public var benchmarks: [Benchmark] = Benchmark.national
    /// Excerpts members chose to share, by category, from months the category is shown in.
    public var quotes: [ReportQuote] = []
    /// How the figures were made, with every figure's definition.
    public var method: ReportMethod = .standard
    /// Records left out because they break `EvidenceLimits`: malformed or incomplete, or holding
    /// values no device writes (only a faulty or hostile device can have sent them).
    public var refusedRecords: Int
    /// Records replaced by a later one of the same person and week (shared again).
    public var replacedRecords: Int

    enum CodingKeys: String, CodingKey {
        case total, categories, findings, months, citations, benchmarks, quotes, method
        case refusedRecords = "refused_records"
        case replacedRecords = "replaced_records"
        case sinceMonth = "since_month"
        case untilMonth = "until_month"
        case minReporters = "min_reporters"
    }

    /// Builds a report.
    /// - Parameters:
    ///   - records: evidence records (read from the evidence space), in the order they were
    ///     shared: of several records of one person and week, the last counts. A record without
    ///     a reporter counts as one shared "unknown" reporter, which can only suppress more.
    ///   - since, until: include the months (UTC) from the one holding `since` to the one holding
    ///     `until`; a week counts in the month of its Thursday.
    ///   - minReporters: a figure is shown only from months where at least this many people gave
    ///     it; at least `minimumReporters` (the default).
    ///   - catalog: for finding titles and citations; findings it does not know are cited by id only.
    ///   - refused: records the store already left out (`EvidenceReading.refused`). Any of
    ///     `records` that breaks `EvidenceLimits` is left out too and counted with them.
    public static func build(
        records: [EvidenceRecord], refused: Int = 0, since: Date? = nil, until: Date? = nil,
        minReporters: Int = minimumReporters, catalog: FindingsCatalog? = nil
    ) throws(FindingsError) -> Report {
        guard minReporters >= minimumReporters else {
            throw FindingsError(.invalidReportParameter,
                                "--min-reporters must be at least \(minimumReporters) (got \(minReporters)): with fewer, a figure can identify the person who gave it")
        }
        let sinceMonth = since.map(ReportMonth.init(date:))
        let untilMonth = until.map(ReportMonth.init(date:))
        if let sinceMonth, let untilMonth, sinceMonth > untilMonth {
            throw FindingsError(.invalidReportParameter, "--since (\(sinceMonth.label)) is after --until (\(untilMonth.label))")
        }
        let catalog = catalog ?? (try? FindingsCatalog())
        let valid = records.filter { EvidenceLimits.problem($0) == nil }
        let people = latestPerPersonAndWeek(valid)
        let included = people.filter { record in
            let month = ReportMonth(week: record.week)
            return (sinceMonth.map { month >= $0 } ?? true) && (untilMonth.map { month <= $0 } ?? true)
        }

        var rows = [ReportRow(key: "total", label: "All evidence") { _ in true }]
        var categoryRows: [(FindingCategory, Int)] = []
        for category in FindingCategory.allCases where included.contains(where: { $0.categories.contains(category) }) {
            categoryRows.append((category, rows.count))
            rows.append(ReportRow(key: category.rawValue, label: category.summary) { $0.categories.contains(category) })
        }
        let findingIDs = Set(included.flatMap(\.findings)).sorted()
        let findingStart = rows.count
        for id in findingIDs {
            rows.append(ReportRow(key: id, label: catalog?.finding(id)?.title ?? id) { $0.findings.contains(id) })
        }
        // The tables a reader could add up within a month: the total from the categories, and
        // each category from its findings. (The total over months is their sum by construction.)
        var margins = [SuppressionMargin(margin: 0, parts: categoryRows.map(\.1))]
        for (category, index) in categoryRows {
            let parts = findingIDs.indices.filter { catalog?.finding(findingIDs[$0])?.category == category }.map { findingStart + $0 }
            margins.append(SuppressionMargin(margin: index, parts: parts))
        }
        let months = monthRows(Set(included.map { ReportMonth(week: $0.week) }))
        let figures = FigureSettlement(records: included, rows: rows, months: months, margins: margins, minReporters: minReporters)

        let cells = rows.indices.map { figures.cell(rows[$0].key, rows[$0].label, row: $0) }
        let citations = findingIDs.map { id -> ReportCitation in
            if let finding = catalog?.finding(id) {
                return ReportCitation(id: id, title: finding.title, publisher: finding.publisher, authority: finding.authority,
                                      published: finding.published, quote: finding.quote, source: finding.source, quotedIn: finding.quotedIn,
                                      verifiedIn: finding.verifiedIn)
            }
            return ReportCitation(id: id, title: id, publisher: "", authority: "", published: "", quote: "",
                                  source: "not in this device's catalog", quotedIn: nil)
        }
        var report = Report(sinceMonth: sinceMonth?.description, untilMonth: untilMonth?.description, minReporters: minReporters,
                      total: cells[0], categories: categoryRows.map { cells[$0.1] }, findings: Array(cells[findingStart...]),
                      months: months.map(figures.monthCell), citations: citations,
                      refusedRecords: min(max(0, refused), Int.max / 2) + records.count - valid.count,
                      replacedRecords: valid.count - people.count)
        report.quotes = categoryRows.flatMap { category, row in figures.quotes(category: category.rawValue, row: row) }
        return report
    }

    /// The most months the month-by-month table fills in between the first and the last.
    static let maximumMonthSpan = 120

    /// The months of the month-by-month table: every month from the first to the last with
    /// records, or, when they span more than `maximumMonthSpan` months (a record dated decades
    /// away, which would push every other month out), only the months with records.
    static func monthRows(_ months: Set<ReportMonth>) -> [ReportMonth] {
        guard let first = months.min(), let last = months.max() else { return [] }
        var filled: [ReportMonth] = []
        var month = first
        while month <= last {
            guard filled.count < maximumMonthSpan else { return months.sorted() }
            filled.append(month)
            month = month.next
        }
        return filled
    }

    /// One record per person and week: a record shared again replaces the earlier one, so a
    /// week reported twice counts once, with its latest figures. The problems the person named
    /// that week stay together: the categories and findings of all the week's records.
    static func latestPerPersonAndWeek(_ records: [EvidenceRecord]) -> [EvidenceRecord] {
        var latest: [String: Int] = [:]
        var named: [String: (categories: Set<FindingCategory>, findings: Set<String>)] = [:]
        for (index, record) in records.enumerated() {
            let key = reporterKey(record) + "\u{0}" + record.week.description
            latest[key] = index
            named[key, default: ([], [])].categories.formUnion(record.categories)
            named[key, default: ([], [])].findings.formUnion(record.findings)
        }
        return latest.sorted { $0.value < $1.value }.map { key, index in
            var record = records[index]
            record.categories = named[key]!.categories.sorted { $0.rawValue < $1.rawValue }
            record.findings = named[key]!.findings.sorted()
            return record
        }
    }

    /// Who made a record, for counting distinct reporters: records without one count as one shared reporter.
    static func reporterKey(_ record: EvidenceRecord) -> String { record.reporter ?? "\u{0}unknown" }

    /// The `p` quantile (0…1) of ascending `sorted` values, interpolating linearly between closest ranks.
    public static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty && (0...1).contains(p))
        let position = Double(sorted.count - 1) * p
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    /// Parses a `--since` / `--until` date: `YYYY-MM-DD` (UTC), a month `YYYY-MM` (its 15th) or an
    /// ISO week `YYYY-Www` (its Thursday, which decides its month).
    public static func parseDate(_ text: String) throws(FindingsError) -> Date {
        if let week = ISOWeek(text) { return week.monday.addingTimeInterval(3 * 86_400) }
        let parts = text.split(separator: "-")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        if parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
           (1...12).contains(month), let date = calendar.date(from: DateComponents(year: year, month: month, day: 15)) {
            return date
        }
        if parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
           let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
           calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month {
            return date
        }
        throw FindingsError(.invalidReportParameter, "\"\(text)\" is not a date: use 2026-05-01, a month like 2026-05, 2026-05-01 10:22, an ISO week like 2026-W47, or ISO 8601")
    }
}
