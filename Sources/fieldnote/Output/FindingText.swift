import Findings
import Foundation

/// Human and JSON output for findings, suggestions and evidence records.
enum FindingText {
    /// Rows of ID, PUBLISHED, CATEGORY, FROM (built in, or yours: added on a device) and TITLE.
    static func table(_ findings: [Finding], catalog: FindingsCatalog, style: Style = .stdout) -> String {
        var table = Table("ID", "PUBLISHED", "CATEGORY", "FROM", "TITLE")
        table.styles = [0: style.bold, 1: style.dim]
        for finding in findings {
            let origin = catalog.origin(of: finding.id) == .user ? "yours" : "built in"
            table.add(finding.id, finding.published, finding.category.rawValue, origin, finding.title)
        }
        return table.render(style: style)
    }

    /// Everything about one finding, labelled; the quote in quotation marks.
    static func detail(_ finding: Finding, origin: FindingsCatalog.Origin?, style: Style = .stdout) -> String {
        // A finding added on a colleague's device is text from that device: made safe to print.
        var lines = [style.bold(TerminalText.safe(finding.title)), style.dim(TerminalText.safe(finding.id))]
        func row(_ label: String, _ value: String) { lines.append(style.dim(label.padding(11)) + " " + TerminalText.safe(value)) }
        row("publisher", finding.publisher)
        row("authority", finding.authority)
        row("published", finding.published)
        row("category", "\(finding.category.rawValue) — \(finding.category.summary)")
        row("source", finding.source)
        if let quotedIn = finding.quotedIn { row("quoted in", quotedIn) }
        if let verifiedIn = finding.verifiedIn { row("verified in", verifiedIn) }
        row("origin", origin == .user ? "added on a device (synced in the team space)" : "built in")
        lines.append("")
        lines.append("“\(TerminalText.safe(finding.quote, multiline: true))”")
        if !finding.summary.isEmpty {
            lines.append("")
            lines.append(TerminalText.safe(finding.summary, multiline: true))
        }
        return lines.joined(separator: "\n")
    }

    /// A finding as JSON: the import keys (`id`, `title`, …, `quoted_in` and `verified_in` null when none) and `origin`.
    static func json(_ finding: Finding, origin: FindingsCatalog.Origin?) -> [String: Any] {
        [
            "id": finding.id, "title": finding.title, "publisher": finding.publisher, "authority": finding.authority,
            "published": finding.published, "category": finding.category.rawValue, "quote": finding.quote,
            "summary": finding.summary, "source": finding.source,
            "quoted_in": finding.quotedIn.map { $0 as Any } ?? NSNull(),
            "verified_in": finding.verifiedIn.map { $0 as Any } ?? NSNull(),
            "origin": (origin ?? .builtIn).rawValue,
        ]
    }

    static func json(_ suggestion: Suggestion, rank: Int) -> [String: Any] {
        [
            "rank": rank, "id": suggestion.finding.id, "title": suggestion.finding.title,
            "category": suggestion.finding.category.rawValue, "score": (suggestion.score * 1000).rounded() / 1000,
            "matched_terms": suggestion.matchedTerms,
        ]
    }

    /// An evidence record as it was shared, with the id of the record in the evidence space.
    static func json(_ record: EvidenceRecord, id: String?) -> [String: Any] {
        let shared = (try? JSONSerialization.jsonObject(with: record.sharedJSON)) as? [String: Any] ?? [:]
        var object = shared
        object["id"] = id.map { $0 as Any } ?? NSNull()
        object["excerpt"] = record.excerpt.map { $0 as Any } ?? NSNull()
        return object
    }
}
