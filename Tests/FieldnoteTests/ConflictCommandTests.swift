import Foundation
import Testing

/// Concurrent edits made visible, end to end: two stores, a real `serve` on 127.0.0.1 and `sync`.
@Suite("merged concurrent edits")
struct ConflictCommandTests {
    @Test("two devices change the same words offline: sync names the note, show says merged, history shows both versions")
    func sameWordsEditedOnBothDevices() throws {
        let (ari, bea) = try trustedPair()  // ari's store calls the other device "Bea", bea's calls it "Ari"
        let id = try ari.add("Caseload is 31 this week.\nSupervision moved to Friday.")
        let server = try ServerProcess(bea)
        defer { server.terminate() }
        let first = try ari.syncOK(server)
        #expect((first["merged"] as? [Any])?.isEmpty == true)

        #expect(try ari.run("edit", id, "--text", "Caseload is 32 this week.\nSupervision moved to Friday.").status == 0)
        #expect(try bea.run("edit", id, "--text", "Caseload is 33 this week.\nSupervision moved to Friday.").status == 0)

        // JSON: the note, its merged first line, what merged, and who else edited it.
        let summary = try ari.syncOK(server)
        let merged = try #require(summary["merged"] as? [[String: Any]])
        #expect(merged.count == 1)
        let entry = try #require(merged.first)
        let mergedText = try #require(try ari.note(id)["text"] as? String)
        #expect(mergedText.hasPrefix("Caseload is 323 this week.") || mergedText.hasPrefix("Caseload is 332 this week."))
        #expect(entry["id"] as? String == id)
        #expect(entry["first_line"] as? String == mergedText.components(separatedBy: "\n")[0])
        #expect(entry["text"] as? Bool == true)
        #expect(entry["fields"] as? [String] == [])  // no command sets a field after `add`; the storage tests cover fields
        #expect((entry["edited_by"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Bea"])
        // The marks the merge left pass SQLite's integrity check on both stores.
        for store in [ari, bea] { #expect(try store.status()["integrity"] as? [String] == ["ok"]) }

        // Text: the same, for people.
        #expect(try ari.run("edit", id, "--text", "Caseload is 34 this week.").status == 0)
        #expect(try bea.run("edit", id, "--text", "Caseload is 35 this week.").status == 0)
        let text = try ari.run("sync", server.address)
        #expect(text.status == 0, "\(text.stderr)")
        let shortID = String(id.dropFirst(12).prefix(8))  // the random part, as ids are shown
        let line = text.stdout.split(separator: "\n").first { $0.contains(shortID) }.map(String.init) ?? ""
        #expect(text.stdout.contains("1 note was changed on both sides"), "\(text.stdout)")
        #expect(line.contains("Caseload is 3"), "\(text.stdout)")
        #expect(line.contains("also edited by Bea"), "\(text.stdout)")

        // show, on both sides, names the other device as its own trust list does.
        let shown = try ari.run("show", id)
        #expect(shown.stdout.contains("merged from concurrent edits by Bea and this device"), "\(shown.stdout)")
        #expect(try bea.run("show", id).stdout.contains("merged from concurrent edits by Ari and this device"))
        let shownJSON = try #require(try ari.run("show", id, "--json").json() as? [String: Any])
        #expect((shownJSON["merged"] as? [Any])?.count == 2)

        // history --text: each side's text before the first merge, and the merged text.
        let history = try ari.run("history", id, "--text", "--json")
        let steps = try #require(try history.json() as? [[String: Any]])
        let merges = steps.filter { $0["type"] as? String == "merge" }
        #expect(merges.count == 2)
        let firstMerge = try #require(merges.first)
        #expect(firstMerge["local_text"] as? String == "Caseload is 32 this week.\nSupervision moved to Friday.")
        #expect(firstMerge["remote_text"] as? String == "Caseload is 33 this week.\nSupervision moved to Friday.")
        #expect((firstMerge["merged_text"] as? String)?.hasPrefix(mergedText.components(separatedBy: "\n")[0]) == true)
        #expect((firstMerge["sender"] as? [String: Any])?["name"] as? String == "Bea")

        let historyText = try ari.run("history", id, "--text").stdout
        #expect(historyText.contains("this device had:\n    Caseload is 32 this week."), "\(historyText)")
        #expect(historyText.contains("Bea had:\n    Caseload is 33 this week."), "\(historyText)")
        #expect(historyText.contains("merged in a sync with Bea"))

        // Plain history names the colleague by the trust list, and this device as such.
        let table = try ari.run("history", id).stdout
        #expect(table.contains("this device"))
        #expect(table.contains("Bea"))
        let onBea = try bea.run("history", id).stdout
        #expect(onBea.contains("Ari") && onBea.contains("this device"))
    }
}
