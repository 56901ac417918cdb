import Foundation
import Testing
@testable import Findings

/// CSV written by Unicode scalars, as it is read: a quote followed by a combining mark is still a
/// quote, doubled, so no text can end its field early (found by fuzzing the findings import).
@Suite("CSV quotes")
struct CSVQuoteTests {
    static let fields = [
        "She said \"too many\"\u{06DB}rcit,\r\u{08}and left.",
        "\"\u{0301}=HYPERLINK(\"http://x\"),\"\u{20DD}",
        " \"\u{0308} ",
        "=cmd\"\u{06DB},x",
    ]

    @Test("every field parses back as written, in both writers")
    func fieldsRoundTrip() throws {
        let rows = [Self.fields, ["a", "b", "c", "d"]]
        #expect(try CSV.parse(CSV.write(rows)).map(\.fields) == rows)
        // The spreadsheet writer adds a leading ' to formula-like fields and nothing else.
        let neutral = try CSV.parse(CSV.writeForSpreadsheets(rows)).map(\.fields)
        #expect(neutral.count == 2 && neutral[0].count == 4, "a quote with a combining mark ended a field early")
        for (read, written) in zip(neutral[0], Self.fields) { #expect(read == written || read == "'" + written) }
    }
}
