import Foundation

extension Report {
    /// The mark shown in place of a suppressed cell's figures.
    public static let suppressedMark = "[suppressed]"

    /// The report in `format`, ready to print or write to a file.
    public func render(_ format: Format) -> String {
        switch format {
        case .markdown: markdown()
        case .csv: csv()
        case .json: json()
        case .html: html()
        }
    }

    /// A figure to one decimal place. Figures come from records within `EvidenceLimits`, so they
    /// are small and finite; anything else is still printed, never converted where it could trap.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let rounded = (value * 10).rounded() / 10
        guard rounded == rounded.rounded(), abs(rounded) < 1e15 else { return String(format: "%.1f", rounded) }
        return String(Int64(rounded))
    }

    var period: String {
        switch (sinceWeek, untilWeek) {
        case (nil, nil): "all weeks"
        case (let since?, nil): "from \(since)"
        case (nil, let until?): "up to \(until)"
        case (let since?, let until?): "\(since) to \(until)"
        }
    }

    var suppressionNote: String {
        var note = "Cells drawn from fewer than \(minReporters) distinct reporter\(minReporters == 1 ? "" : "s") are suppressed and marked \(Report.suppressedMark)."
        if hasSecondarySuppression {
            note += " Some further cells are suppressed too, because with their total they would give a suppressed cell away (secondary suppression)."
        }
        return note
    }

    /// Says how many records were left out, if any.
    var refusalNote: String? {
        guard refusedRecords > 0 else { return nil }
        let records = refusedRecords == 1 ? "1 evidence record was" : "\(refusedRecords) evidence records were"
        return "\(records) left out: incomplete, or holding values no device writes (such as a caseload outside 0–200), so sent by a faulty or altered device."
    }

    var hasSecondarySuppression: Bool {
        ([total] + categories + findings + weeks).contains(where: \.secondary)
    }

    /// The figures of a cell as display strings, in the CSV/Markdown column order.
    static let figureColumns = [
        "records", "reporters", "caseload_records", "caseload_median", "caseload_p90", "caseload_max",
        "unpaid_records", "unpaid_hours_total", "unpaid_hours_mean", "supervision_held", "supervision_cancelled",
        "supervision_not_scheduled",
    ]

    static func figures(_ cell: ReportCell) -> [String] {
        guard let s = cell.statistics else { return Array(repeating: "", count: figureColumns.count) }
        return [
            String(s.records), String(s.reporters),
            s.caseload.map { String($0.records) } ?? "", s.caseload.map { number($0.median) } ?? "",
            s.caseload.map { number($0.p90) } ?? "", s.caseload.map { String($0.maximum) } ?? "",
            s.unpaidHours.map { String($0.records) } ?? "", s.unpaidHours.map { number($0.total) } ?? "",
            s.unpaidHours.map { number($0.mean) } ?? "",
            String(s.supervision.held), String(s.supervision.cancelled), String(s.supervision.notScheduled),
        ]
    }

    // MARK: Markdown

    func markdown() -> String {
        var out = "# Workload evidence report\n\n"
        out += "Period: \(period). \(suppressionNote)\n\n"
        if let refusalNote { out += refusalNote + "\n\n" }
        func table(_ title: String, _ cells: [ReportCell]) {
            out += "## \(title)\n\n"
            guard !cells.isEmpty else { out += "No records.\n\n"; return }
            out += "| | Records | Reporters | Caseload median | Caseload p90 | Caseload max | Unpaid hours (total / mean) | Supervision held / cancelled |\n"
            out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
            for cell in cells {
                let label = cell.label == cell.key ? MarkdownText.escaped(cell.key)
                    : "\(MarkdownText.escaped(cell.label)) (\(MarkdownText.code(cell.key, inTable: true)))"
                guard let s = cell.statistics else {
                    out += "| \(label) | \(Report.suppressedMark) | | | | | | |\n"
                    continue
                }
                let caseload = s.caseload
                let unpaid = s.unpaidHours.map { "\(Report.number($0.total)) / \(Report.number($0.mean))" } ?? "–"
                out += "| \(label) | \(s.records) | \(s.reporters) | \(caseload.map { Report.number($0.median) } ?? "–") | "
                out += "\(caseload.map { Report.number($0.p90) } ?? "–") | \(caseload.map { String($0.maximum) } ?? "–") | \(unpaid) | "
                out += "\(s.supervision.held) / \(s.supervision.cancelled) |\n"
            }
            out += "\n"
        }
        table("All evidence", [total])
        table("By category", categories)
        table("By finding", findings)
        table("Week by week", weeks)
        out += "## Findings cited\n\n"
        if citations.isEmpty { out += "None.\n" }
        for citation in citations {
            let text = MarkdownText.escaped
            out += "- **\(text(citation.title))** (\(MarkdownText.code(citation.id, inTable: false))) — \(text(citation.publisher)), "
            out += "\(text(citation.authority)), \(text(citation.published)). "
            if !citation.quote.isEmpty { out += "“\(text(citation.quote))” " }
            out += "Source: \(text(citation.source))"
            if let quotedIn = citation.quotedIn { out += " (quoted in \(text(quotedIn)))" }
            out += "\n"
        }
        return out
    }

    // MARK: CSV

    /// RFC 4180, one header row then one row per cell: `section` is total, category, finding or
    /// week; `suppressed` is 1 or 0 (a suppressed row's figures are empty); then citation rows
    /// (`section` citation, `label` the title, `source` the source).
    func csv() -> String {
        var rows = [["section", "key", "label", "suppressed"] + Report.figureColumns + ["source"]]
        func add(_ section: String, _ cells: [ReportCell]) {
            for cell in cells {
                rows.append([section, cell.key, cell.label, cell.suppressed ? "1" : "0"] + Report.figures(cell) + [""])
            }
        }
        add("total", [total])
        add("category", categories)
        add("finding", findings)
        add("week", weeks)
        if let refusalNote {
            var row = ["refused", "records", refusalNote, "0"] + Array(repeating: "", count: Report.figureColumns.count + 1)
            row[4] = String(refusedRecords)
            rows.append(row)
        }
        for citation in citations {
            var source = citation.source
            if let quotedIn = citation.quotedIn { source += " (quoted in \(quotedIn))" }
            rows.append(["citation", citation.id, citation.title, "0"] + Array(repeating: "", count: Report.figureColumns.count) + [source])
        }
        // Labels, titles and sources may come from other devices: no control character reaches
        // whoever opens the file at a terminal, and no cell runs as a formula in a spreadsheet.
        return CSV.writeForSpreadsheets(rows.map { $0.map { PrintableText.safe($0) } })
    }

    // MARK: JSON

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }
}
