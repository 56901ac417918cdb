import Foundation
import Testing
import Storage
import SyncCore
@testable import Findings

/// Reports opened in a spreadsheet or a Markdown viewer: text from users and peers — a finding's
/// title or source, a finding id forged into an evidence record — must stay text there.
@Suite("Report injection")
struct ReportInjectionTests {
    /// Cells a spreadsheet would run (OWASP's CSV injection list).
    static let formulas = ["=HYPERLINK(\"http://x\")", "=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1"]
    /// Of those, the ones a finding id can hold (an id has no spaces, tabs or line breaks).
    static let formulaIDs = ["=HYPERLINK(\"http://x\")", "+1", "-1+1", "@SUM(1)"]
    /// Markdown that would run a script, fetch an image or make a link.
    static let markup = ["<script>alert(1)</script>", "![x](http://x/a.png)", "[click](javascript:alert(1))"]

    /// A user finding per title (also its publisher, quote and "quoted in"), each linked by three reporters' records, so every row is shown.
    static func report(titles: [String]) throws -> Report {
        let findings = titles.enumerated().map { index, title in
            Finding(id: "branch-2026-hostile-\(index)", title: title, publisher: title, authority: "A", published: "2026",
                    category: .caseloadWorkload, quote: title, source: "https://example.org/findings", quotedIn: title)
        }
        let catalog = try FindingsCatalog(userFindings: findings)
        let records = ["ann", "bob", "cat"].map { record($0, caseload: 30, findings: findings.map(\.id)) }
        return try Report.build(records: records, catalog: catalog)
    }

    /// The rep's report when a peer's evidence record links each of `ids` (unknown to every
    /// catalog), sealed by peers that skip every check `share` makes: three records per id, from
    /// three peers, a week per id.
    static func report(forgedIDs ids: [String]) throws -> Report {
        let rep = try TemporaryStore(wallClock: { march2026 })
        let union = try TestRep()
        for peerIndex in 0..<3 {
            let peer = try TemporaryStore(wallClock: { march2026 + UInt64(peerIndex) })
            let adapter = try union.member(peer.store)
            // A week each: a person's second record of a week would replace the first.
            for (index, id) in ids.enumerated() {
                var forged = record("peer", week: "2026-W\(10 + index)", caseload: 30)
                forged.findings = [id]
                try adapter.addEvidence(forged)
            }
            try sync(.evidence, from: peer.store, to: rep.store)
        }
        let evidence = try union.reading(rep.store).evidence()
        #expect(evidence.refused == 0 && Set(evidence.records.flatMap(\.findings)) == Set(ids))
        return try Report.build(records: evidence.records, refused: evidence.refused, catalog: try FindingsCatalog())
    }

    /// Every cell of a CSV report, parsed back.
    static func cells(_ csv: String) throws -> [String] {
        try CSV.parse(csv).flatMap(\.fields)
    }

    @Test("CSV: a formula in a finding's title or citation is written as text, quoted")
    func csvFormulasFromTitlesAreNeutralised() throws {
        let csv = try Self.report(titles: Self.formulas).render(.csv)
        let cells = try Self.cells(csv)
        for cell in cells {
            #expect(!(cell.unicodeScalars.first.map(CSV.formulaStarts.contains) ?? false), "a cell starts like a formula: \(cell)")
        }
        #expect(csv.contains(#""'=HYPERLINK(""http://x"")""#))
        #expect(csv.contains(#""'=cmd|' /C calc'!A0""#))
        #expect(csv.contains(#""'+1""#) && csv.contains(#""'-1+1""#) && csv.contains(#""'@SUM(1)""#))
        // A tab or a carriage return is escaped before it can lead a cell.
        #expect(cells.contains(#"\x09=1+1"#) && cells.contains(#"\x0D=1+1"#))
        #expect(!csv.contains("\t") && !csv.contains("\r=1"))
    }

    @Test("CSV: a formula forged into an evidence record's finding id is written as text")
    func csvFormulasFromForgedFindingIDsAreNeutralised() throws {
        let report = try Self.report(forgedIDs: Self.formulaIDs)
        #expect(report.findings.count == Self.formulaIDs.count && report.findings.allSatisfy { !$0.suppressed })
        let csv = report.render(.csv)
        for cell in try Self.cells(csv) {
            #expect(!(cell.unicodeScalars.first.map(CSV.formulaStarts.contains) ?? false), "a cell starts like a formula: \(cell)")
        }
        for id in Self.formulaIDs {
            #expect(try Self.cells(csv).contains("'" + id), "\(id) is not neutralised")
        }
    }

    @Test func csvNeutralisesEachFormulaStartAndNothingElse() {
        #expect(CSV.neutralised("=1+1") == #""'=1+1""#)
        #expect(CSV.neutralised("-3") == #""'-3""#)
        #expect(CSV.neutralised("\tx") == "\"'\tx\"")
        #expect(CSV.neutralised("\rx") == "\"'\rx\"")
        #expect(CSV.neutralised("@a,\"b\"") == #""'@a,""b""""#)
        #expect(CSV.neutralised("caseload_workload") == "caseload_workload")
        #expect(CSV.neutralised("31") == "31" && CSV.neutralised("a=b") == "a=b" && CSV.neutralised("") == "")
        #expect(CSV.write([["=1"]]) == "=1\r\n", "plain CSV (a findings file) round-trips exactly")
    }

    /// `text` without its code spans, whose content Markdown shows literally.
    static func outsideCodeSpans(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var out = ""
            var rest = Substring(line)
            while let open = rest.firstIndex(of: "`") {
                out += rest[..<open]
                let fence = rest[open...].prefix { $0 == "`" }
                let after = rest[fence.endIndex...]
                guard let close = after.range(of: String(fence)) else { out += rest[open...]; rest = ""; break }
                rest = after[close.upperBound...]
            }
            return out + rest
        }.joined(separator: "\n")
    }

    /// Whether `text` holds `character` not escaped by a backslash (an escaped backslash escapes nothing).
    static func hasUnescaped(_ character: Character, in text: String) -> Bool {
        var escaped = false
        for current in text {
            if escaped { escaped = false; continue }
            if current == "\\" { escaped = true; continue }
            if current == character { return true }
        }
        return false
    }

    @Test("Markdown: HTML, images and links in a finding's title or citation are shown as text")
    func markdownFromTitlesIsEscaped() throws {
        let markdown = try Self.report(titles: Self.markup).render(.markdown)
        let prose = Self.outsideCodeSpans(markdown)
        for payload in Self.markup { #expect(!prose.contains(payload), "\(payload) reaches the Markdown as it is") }
        #expect(!Self.hasUnescaped("<", in: prose) && !prose.contains("![") && !prose.contains("]("), "\(markdown)")
        #expect(markdown.contains(#"\<script\>alert\(1\)\</script\>"#))
        #expect(markdown.contains(#"\!\[x\]\(http://x/a.png\)"#))
        #expect(markdown.contains(#"\[click\]\(javascript:alert\(1\)\)"#))
    }

    @Test("Markdown: HTML, images and links forged into finding ids stay inside code spans or escaped")
    func markdownFromForgedFindingIDsIsEscaped() throws {
        let ids = Self.markup + ["`<img/src=x>`", "a|b"]
        let markdown = try Self.report(forgedIDs: ids).render(.markdown)
        let prose = Self.outsideCodeSpans(markdown)
        #expect(!Self.hasUnescaped("<", in: prose) && !Self.hasUnescaped("!", in: prose), "\(prose)")
        // In a table row an unknown finding is labelled by its id, escaped; cited, it is a code span.
        #expect(markdown.contains(#"| \<script\>alert\(1\)\</script\> |"#))
        #expect(markdown.contains("(`<script>alert(1)</script>`)"))
        #expect(markdown.contains("(`` `<img/src=x>` ``)"), "a backtick in the id widens the fence")
        #expect(markdown.contains(#"| a\|b |"#), "a pipe cannot split the table row")
    }

    @Test func markdownTextEscapesSyntaxThenControls() {
        #expect(MarkdownText.escaped("a_b *c* #d ~e~ &amp; \\<") == ##"a\_b \*c\* \#d \~e\~ \&amp; \\\<"##)
        #expect(MarkdownText.escaped("line\nbreak \u{1B}[2J") == #"line break \x1B\[2J"#)
        #expect(MarkdownText.code("front_door", inTable: true) == "`front_door`")
        #expect(MarkdownText.code("a``b", inTable: false) == "```a``b```")
        #expect(MarkdownText.code("x|y", inTable: true) == #"`x\|y`"#)
    }

    @Test("the HTML report still escapes every payload")
    func htmlEscapesEverything() throws {
        let html = try Self.report(titles: Self.markup + Self.formulas).render(.html)
        #expect(!html.contains("<script>") && !html.contains("<img") && !html.contains("javascript:alert(1)\""))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }
}
