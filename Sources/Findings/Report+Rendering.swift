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

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(format: "%.1f", rounded)
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
        func table(_ title: String, _ cells: [ReportCell]) {
            out += "## \(title)\n\n"
            guard !cells.isEmpty else { out += "No records.\n\n"; return }
            out += "| | Records | Reporters | Caseload median | Caseload p90 | Caseload max | Unpaid hours (total / mean) | Supervision held / cancelled |\n"
            out += "|---|---:|---:|---:|---:|---:|---:|---:|\n"
            for cell in cells {
                let label = Report.markdownEscape(cell.label == cell.key ? cell.key : "\(cell.label) (`\(cell.key)`)")
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
            out += "- **\(Report.markdownEscape(citation.title))** (`\(PrintableText.safe(citation.id))`) — \(Report.markdownEscape(citation.publisher)), "
            out += "\(Report.markdownEscape(citation.authority)), \(Report.markdownEscape(citation.published)). "
            if !citation.quote.isEmpty { out += "“\(Report.markdownEscape(citation.quote))” " }
            out += "Source: \(Report.markdownEscape(citation.source))"
            if let quotedIn = citation.quotedIn { out += " (quoted in \(Report.markdownEscape(quotedIn)))" }
            out += "\n"
        }
        return out
    }

    /// One line of Markdown table or list text: no cell break, no line break, no control character.
    static func markdownEscape(_ text: String) -> String {
        PrintableText.safe(text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " "))
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
        for citation in citations {
            var source = citation.source
            if let quotedIn = citation.quotedIn { source += " (quoted in \(quotedIn))" }
            rows.append(["citation", citation.id, citation.title, "0"] + Array(repeating: "", count: Report.figureColumns.count) + [source])
        }
        // Labels, titles and sources may come from other devices: no control character reaches
        // whoever opens the file at a terminal.
        return CSV.write(rows.map { $0.map { PrintableText.safe($0) } })
    }

    // MARK: JSON

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }
}
