import Foundation

extension Report {
    /// One self-contained HTML file: inline CSS and SVG charts, no scripts, no fonts, images or
    /// style sheets fetched from anywhere. Charts: records per category (bars; suppressed
    /// categories marked, no bar) and caseload median and 90th percentile by month (held-back
    /// months left as gaps and marked).
    func html() -> String {
        let e = Report.htmlEscape
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Workload evidence report</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
        h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
        table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.3rem .5rem;border-bottom:1px solid #e2e2e2;text-align:right}
        th:first-child,td:first-child{text-align:left}.suppressed{color:#8a4b00;font-style:italic}
        .wide{overflow-x:auto}table.figures{width:auto;min-width:24rem}table.figures th{text-align:left;font-weight:normal}
        figure{margin:1rem 0}figcaption{font-size:.9rem;color:#444}svg text{font-family:inherit}
        blockquote{margin:.3rem 0 .3rem 1rem;color:#333}li{margin-bottom:.8rem}
        </style>
        </head>
        <body>
        <h1>Workload evidence report</h1>

        """
        out += "<p><strong>In short.</strong> \(e(headline))</p>\n"
        out += "<p>Period: \(e(period)). \(e(suppressionNote))</p>\n"
        out += "<p>How the figures were made: \(e(methodNote))</p>\n<ul>\n"
        for definition in method.definitions {
            out += "<li><strong>\(e(definition.name))</strong>: \(e(definition.definition))</li>\n"
        }
        out += "</ul>\n"
        if let refusalNote { out += "<p>\(e(refusalNote))</p>\n" }
        out += "<h2>Records per category</h2>\n" + categoryChart()
        out += "<h2>Caseload by month</h2>\n" + caseloadChart()
        func table(_ title: String, _ cells: [ReportCell]) {
            out += "<h2>\(e(title))</h2>\n"
            guard !cells.isEmpty else { out += "<p>No records.</p>\n"; return }
            let headers = Report.displayColumns.map { "<th>\(e($0))</th>" }.joined()
            // Eighteen figures do not fit a page's width: the table scrolls, the page does not.
            out += "<div class=\"wide\"><table>\n<thead><tr><th></th>\(headers)</tr></thead>\n<tbody>\n"
            for cell in cells {
                let label = cell.label == cell.key ? e(cell.key) : "\(e(cell.label)) <code>\(e(cell.key))</code>"
                guard let s = cell.statistics else {
                    out += "<tr><td>\(label)</td><td class=\"suppressed\" colspan=\"\(Report.displayColumns.count)\">\(e(heldBackReason(cell)))</td></tr>\n"
                    continue
                }
                let figures = Report.displayFigures(s).map { $0 == Report.suppressedMark ? "<td class=\"suppressed\">\(e($0))</td>" : "<td>\(e($0))</td>" }
                out += "<tr><td>\(label)</td>" + figures.joined() + "</tr>\n"
            }
            out += "</tbody>\n</table></div>\n"
        }
        // The whole evidence is one row: a figure to a line reads on any page, printed too.
        out += "<h2>All evidence</h2>\n<table class=\"figures\">\n<tbody>\n"
        if let s = total.statistics {
            for (header, value) in zip(Report.displayColumns, Report.displayFigures(s)) {
                let cell = value == Report.suppressedMark ? "<td class=\"suppressed\">\(e(value))</td>" : "<td>\(e(value))</td>"
                out += "<tr><th>\(e(header))</th>\(cell)</tr>\n"
            }
        } else {
            out += "<tr><td class=\"suppressed\">\(e(heldBackReason(total)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        out += "<h2>Beside national figures</h2>\n<ul>\n"
        for line in benchmarkLines {
            out += "<li>\(e(line.text)) <blockquote>“\(e(line.quote))”</blockquote>Source: \(Report.linkify(line.source))</li>\n"
        }
        out += "</ul>\n"
        table("By category", categories)
        if !quotes.isEmpty {
            out += "<h2>In members' words</h2>\n"
            for category in categories where !quotes(of: category.key).isEmpty {
                out += "<h3>\(e(category.label))</h3>\n"
                for text in quotes(of: category.key) { out += "<blockquote>“\(e(text))”</blockquote>\n" }
            }
        }
        table("By finding", findings)
        table("Month by month", months)
        out += "<h2>Findings cited</h2>\n"
        if citations.isEmpty { out += "<p>None.</p>\n" } else {
            out += "<ol>\n"
            for citation in citations {
                out += "<li id=\"\(e(citation.id))\"><strong>\(e(citation.title))</strong> <code>\(e(citation.id))</code><br>"
                out += "\(e(citation.publisher)), \(e(citation.authority)), \(e(citation.published))."
                if !citation.quote.isEmpty { out += "<blockquote>“\(e(citation.quote))”</blockquote>" }
                out += "Source: \(Report.linkify(citation.source))"
                if let quotedIn = citation.quotedIn { out += " (quoted in \(Report.linkify(quotedIn)))" }
                out += "</li>\n"
            }
            out += "</ol>\n"
        }
        out += "</body>\n</html>\n"
        return out
    }

    /// Horizontal bars, one per category with records; suppressed categories get a marked row, no bar.
    func categoryChart() -> String {
        let e = Report.htmlEscape
        guard !categories.isEmpty else { return "<p>No records.</p>\n" }
        let rowHeight = 26, labelWidth = 200, barArea = 420, top = 10
        let height = top + rowHeight * categories.count + 10
        let maximum = max(1, categories.compactMap { $0.statistics?.records }.max() ?? 1)
        var svg = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(labelWidth + barArea + 60)\" height=\"\(height)\" role=\"img\" aria-label=\"Records per category\">\n"
        for (index, cell) in categories.enumerated() {
            let y = top + index * rowHeight
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=\"end\" font-size=\"13\">\(e(cell.key))</text>\n"
            if let records = cell.statistics?.records {
                let width = max(2, barArea * records / maximum)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"\(rowHeight - 8)\" fill=\"#2f6db5\"><title>\(e(cell.key)): \(records) records</title></rect>\n"
                svg += "<text x=\"\(labelWidth + width + 6)\" y=\"\(y + 17)\" font-size=\"13\">\(records)</text>\n"
            } else {
                svg += "<text x=\"\(labelWidth)\" y=\"\(y + 17)\" font-size=\"13\" fill=\"#8a4b00\" font-style=\"italic\">\(e(Report.suppressedMark))</text>\n"
            }
        }
        svg += "</svg><figcaption>Evidence records per category. A record linked to findings in several categories counts in each.</figcaption></figure>\n"
        return svg
    }

    /// Median (line with points) and 90th percentile (dashed) caseload per month; gaps where a
    /// month is held back or has no caseload figures.
    func caseloadChart() -> String {
        let e = Report.htmlEscape
        guard !months.isEmpty else { return "<p>No records.</p>\n" }
        let left = 50, right = 20, top = 15, bottom = 60, plotHeight = 220
        let step = max(18, min(80, 640 / max(1, months.count)))
        // At least wide enough for the axis labels and caption to sit beside a short trend.
        let width = max(360, left + right + step * max(1, months.count - 1) + 20)
        let height = top + plotHeight + bottom
        let values = months.compactMap { $0.statistics?.caseload }
        let maximum = max(1.0, values.map { $0.p90 ?? $0.median }.max() ?? 1)
        let scaleTop = (maximum / 10).rounded(.up) * 10
        func x(_ index: Int) -> Int { left + 10 + index * step }
        func y(_ value: Double) -> Double { Double(top) + Double(plotHeight) * (1 - value / scaleTop) }
        var svg = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"Caseload by week\">\n"
        for tick in stride(from: 0.0, through: scaleTop, by: scaleTop / 5) {
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#e2e2e2\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\" font-size=\"11\">\(Report.number(tick))</text>\n"
        }
        func path(_ value: (CaseloadSummary) -> Double?) -> String {
            var d = ""
            var drawing = false
            for (index, cell) in months.enumerated() {
                guard let caseload = cell.statistics?.caseload, let point = value(caseload) else { drawing = false; continue }
                d += "\(drawing ? "L" : "M")\(x(index)),\(y(point)) "
                drawing = true
            }
            return d
        }
        svg += "<path d=\"\(path { $0.p90 })\" fill=\"none\" stroke=\"#c2553a\" stroke-width=\"2\" stroke-dasharray=\"5 4\"/>\n"
        svg += "<path d=\"\(path { $0.median })\" fill=\"none\" stroke=\"#2f6db5\" stroke-width=\"2.5\"/>\n"
        for (index, cell) in months.enumerated() {
            if let caseload = cell.statistics?.caseload {
                svg += "<circle cx=\"\(x(index))\" cy=\"\(y(caseload.median))\" r=\"4\" fill=\"#2f6db5\"><title>\(e(cell.key)): median \(Report.number(caseload.median))\(caseload.p90.map { ", p90 " + Report.number($0) } ?? "")</title></circle>\n"
            } else if cell.suppressed {
                svg += "<text x=\"\(x(index))\" y=\"\(top + plotHeight - 4)\" text-anchor=\"middle\" font-size=\"14\" fill=\"#8a4b00\"><title>\(e(cell.key)): held back</title>×</text>\n"
            }
            if months.count <= 26 || index % max(1, months.count / 13) == 0 {
                svg += "<text x=\"\(x(index))\" y=\"\(top + plotHeight + 14)\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-45 \(x(index)) \(top + plotHeight + 14))\">\(e(cell.key))</text>\n"
            }
        }
        svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(top + plotHeight)\" y2=\"\(top + plotHeight)\" stroke=\"#555\"/>\n"
        svg += "</svg><figcaption>Caseload by month: median (solid) and, from 10 people or more, 90th percentile (dashed). × marks a month held back.</figcaption></figure>\n"
        return svg
    }

    static func htmlEscape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Escapes `text`, turning http(s) URLs in it into links (which the page never loads by itself).
    static func linkify(_ text: String) -> String {
        var out = ""
        for (index, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { out += " " }
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ",;)("))
            if trimmed.hasPrefix("http://") || trimmed.hasPrefix("https://"), let range = word.range(of: trimmed) {
                out += htmlEscape(String(word[..<range.lowerBound]))
                out += "<a href=\"\(htmlEscape(trimmed))\">\(htmlEscape(trimmed))</a>"
                out += htmlEscape(String(word[range.upperBound...]))
            } else {
                out += htmlEscape(String(word))
            }
        }
        return out
    }
}
