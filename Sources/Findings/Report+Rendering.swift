import Foundation

extension Report {
    /// The words shown in place of a figure held back.
    public static let suppressedMark = "held back"

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

    static func monthLabel(_ key: String?) -> String? {
        guard let key, key.count == 7, let year = Int(key.prefix(4)), let month = Int(key.suffix(2)), (1...12).contains(month) else { return key }
        return ReportMonth(year: year, month: month).label
    }

    var period: String {
        switch (Report.monthLabel(sinceMonth), Report.monthLabel(untilMonth)) {
        case (nil, nil): "every month with evidence"
        case (let since?, nil): "from \(since)"
        case (nil, let until?): "up to \(until)"
        case (let since?, let until?): since == until ? since : "\(since) to \(until)"
        }
    }

    /// What was held back and why, in plain words.
    var suppressionNote: String {
        var note = "Where fewer than \(minReporters) people reported something in a month, their figures are held back to protect them. "
            + "It does not mean there is no problem. Every figure is drawn only from months where at least \(minReporters) people gave it."
        if hasSecondarySuppression {
            note += " A few more figures are held back because, with a total, they would let someone work out one that is held back."
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
        ([total] + categories + findings + months).contains(where: \.secondary)
    }

    /// Why a row is held back, in plain words.
    func heldBackReason(_ cell: ReportCell) -> String {
        cell.secondary ? "held back: with a total, it would give a held-back figure away"
            : "held back: fewer than \(minReporters) people"
    }

    // MARK: Markdown

    func markdown() -> String {
        var out = "# Workload evidence report\n\n"
        out += "**In short.** \(headline)\n\n"
        out += "Period: \(period). \(suppressionNote)\n\n"
        out += "How the figures were made: \(methodNote)\n\n"
        // The definitions are this program's own text, written to read as Markdown already.
        for definition in method.definitions { out += "- **\(definition.name)**: \(definition.definition)\n" }
        out += "\n"
        if let refusalNote { out += refusalNote + "\n\n" }
        func table(_ title: String, _ cells: [ReportCell]) {
            out += "## \(title)\n\n"
            guard !cells.isEmpty else { out += "No records.\n\n"; return }
            out += "| | " + Report.displayColumns.joined(separator: " | ") + " |\n"
            out += "|---|" + Array(repeating: "---:|", count: Report.displayColumns.count).joined() + "\n"
            for cell in cells {
                let label = cell.label == cell.key ? MarkdownText.escaped(cell.key)
                    : "\(MarkdownText.escaped(cell.label)) (\(MarkdownText.code(cell.key, inTable: true)))"
                guard let s = cell.statistics else {
                    out += "| \(label) | \(heldBackReason(cell)) |" + String(repeating: " |", count: Report.displayColumns.count - 1) + "\n"
                    continue
                }
                out += "| \(label) | " + Report.displayFigures(s).joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        table("All evidence", [total])
        out += "## Beside national figures\n\n"
        // The benchmarks are this program's own text, written to read as Markdown already.
        for line in benchmarkLines { out += "- \(line.text) “\(line.quote)” Source: \(line.source)\n" }
        out += "\n"
        table("By category", categories)
        if !quotes.isEmpty {
            out += "## In members' words\n\n"
            for category in categories where !quotes(of: category.key).isEmpty {
                out += "**\(MarkdownText.escaped(category.label))**\n\n"
                for text in quotes(of: category.key) { out += "> “\(MarkdownText.escaped(text))”\n>\n" }
                out += "\n"
            }
        }
        table("By finding", findings)
        table("Month by month", months)
        out += "## Findings cited\n\n"
        if citations.isEmpty { out += "None.\n" }
        for citation in citations {
            let text = MarkdownText.escaped
            out += "- **\(text(citation.title))** (\(MarkdownText.code(citation.id, inTable: false))) — \(text(citation.publisher)), "
            out += "\(text(citation.authority)), \(text(citation.published)). "
            if !citation.quote.isEmpty { out += "“\(text(citation.quote))” " }
            out += "Source: \(text(citation.source))"
            if let quotedIn = citation.quotedIn { out += " (quoted in \(text(quotedIn)))" }
            if let verifiedIn = citation.verifiedIn { out += "; words verified in \(text(verifiedIn))" }
            out += "\n"
        }
        return out
    }

    // MARK: CSV

    /// RFC 4180, one header row, a `method` row carrying the threshold (`min_reporters`, its value
    /// in the `records` column), a `definition` row per figure (its key, then what it measures),
    /// a `summary` row (the headline), then one row per cell: `section` is total, category, finding or
    /// month; `suppressed` is 1 or 0 (a held-back row's figures are empty, `held_back` says so);
    /// then citation rows (`section` citation, `label` the title, `source` the source).
    func csv() -> String {
        var rows = [["section", "key", "label", "suppressed"] + Report.figureColumns + ["source"]]
        var methodRow = ["method", "min_reporters", suppressionNote + " " + methodNote, "0"] + Array(repeating: "", count: Report.figureColumns.count + 1)
        methodRow[4] = String(minReporters)
        rows.append(methodRow)
        for definition in method.definitions {
            rows.append(["definition", definition.figure, "\(definition.name): \(definition.definition)", "0"]
                + Array(repeating: "", count: Report.figureColumns.count + 1))
        }
        rows.append(["summary", "headline", headline, "0"] + Array(repeating: "", count: Report.figureColumns.count + 1))
        func add(_ section: String, _ cells: [ReportCell]) {
            for cell in cells {
                rows.append([section, cell.key, cell.label, cell.suppressed ? "1" : "0"] + Report.figures(cell) + [""])
            }
        }
        add("total", [total])
        add("category", categories)
        add("finding", findings)
        add("month", months)
        if let refusalNote {
            var row = ["refused", "records", refusalNote, "0"] + Array(repeating: "", count: Report.figureColumns.count + 1)
            row[4] = String(refusedRecords)
            rows.append(row)
        }
        rows += benchmarkRows()
        for quote in quotes {
            rows.append(["quote", quote.category, quote.text, "0"] + Array(repeating: "", count: Report.figureColumns.count + 1))
        }
        for citation in citations {
            var source = citation.source
            if let quotedIn = citation.quotedIn { source += " (quoted in \(quotedIn))" }
            if let verifiedIn = citation.verifiedIn { source += "; words verified in \(verifiedIn)" }
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
