import Foundation
import Testing
import Storage
@testable import fieldnote

/// Counts a person reads are grouped by thousands ("10,500 notes"); `--json` keeps plain numbers.
@Suite struct CountWordsTests {
    @Test func countsAreGroupedByThousands() {
        #expect(Units.count(0) == "0")
        #expect(Units.count(999) == "999")
        #expect(Units.count(1_000) == "1,000")
        #expect(Units.count(10_500) == "10,500")
        #expect(Units.count(1_204_311) == "1,204,311")
        #expect(Units.count(-4_200) == "-4,200")
        #expect(Units.plural(1, "note") == "1 note" && Units.plural(12_000, "op") == "12,000 ops")
    }

    @Test func statusGroupsItsCounts() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run("init").status == 0)
        let store = try Store(location: StoreLocation(directory: sandbox.store))
        try store.addNotes((0..<1_200).map { NoteDraft(text: "Caseload note \($0)") })
        let text = try sandbox.run("status")
        #expect(text.status == 0, "\(text.stderr)")
        let row = text.stdout.split(separator: "\n").first { $0.hasPrefix("team") }.map(String.init) ?? ""
        #expect(row.contains("1,200") && row.contains("2,400"), "\(text.stdout)")
        let json = try sandbox.run("status", "--json")
        let spaces = try json.json() as? [String: Any]
        let team = (spaces?["spaces"] as? [[String: Any]])?.first
        #expect(team?["notes"] as? Int == 1_200)
    }
}
