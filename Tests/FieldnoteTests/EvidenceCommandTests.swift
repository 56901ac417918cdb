import Foundation
import Testing

/// `evidence list`, `unshare`, sharing a note again, and purging a note that was shared.
@Suite("evidence and unshare")
struct EvidenceCommandTests {
    static func sharedNote(_ sandbox: Sandbox, caseload: Int = 31) throws -> String {
        let note = try sandbox.add("Caseload \(caseload) this week", "--field", "caseload=\(caseload)")
        try #require(try sandbox.run("link", note, "ofsted-worcestershire-2017-caseloads").status == 0)
        return note
    }

    @Test func listShowsWhatWasSharedAndSharingAgainReplacesIt() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run("evidence", "list").stdout.contains("no evidence records shared from this device"))
        let note = try Self.sharedNote(sandbox)
        let first = try sandbox.share(note)
        let firstID = try #require(first["id"] as? String)
        let listed = try sandbox.run("evidence", "list")
        #expect(listed.status == 0 && listed.stdout.contains(firstID) && listed.stdout.contains("caseload 31"), "\(listed.stdout)")
        #expect(listed.stdout.contains("ofsted-worcestershire-2017-caseloads"))
        #expect(listed.stdout.contains("w/c "))

        let second = try sandbox.share(note, "--excerpt", "Third week over 30.")
        #expect(second["replaced"] as? [String] == [firstID])
        let json = try #require(try sandbox.run("evidence", "list", "--json").json() as? [[String: Any]])
        #expect(json.count == 1 && json[0]["id"] as? String == second["id"] as? String)
        #expect(json[0]["excerpt"] as? String == "Third week over 30.")
    }

    @Test func unshareWithdrawsOnlyWhatThisDeviceShared() throws {
        let sandbox = try Sandbox()
        let id = try #require(try sandbox.share(try Self.sharedNote(sandbox))["id"] as? String)
        let unasked = try sandbox.run("unshare", id)
        #expect(unasked.status != 0 && unasked.stderr.contains("--yes"), "without a terminal it asks for --yes")
        func counts() throws -> (Int?, Int?) {
            let spaces = (try sandbox.run("status", "--json").json() as? [String: Any])?["spaces"] as? [[String: Any]]
            let evidence = spaces?.first { $0["space"] as? String == "evidence" }
            return (evidence?["evidence_records"] as? Int, evidence?["withdrawn_evidence_records"] as? Int)
        }
        #expect(try counts() == (1, 0))
        let done = try sandbox.run("unshare", id, "--yes")
        #expect(done.status == 0 && done.stdout.contains("withdrew evidence record \(id)"), "\(done.stderr)")
        #expect(try sandbox.run("evidence", "list", "--json").json() as? [Any] == nil
                || (try sandbox.run("evidence", "list", "--json").json() as? [Any])?.isEmpty == true)
        #expect(try sandbox.run("unshare", id, "--yes").stdout.contains("withdrawn already"))
        #expect(try counts() == (0, 1), "status counts evidence records")
        let unknown = try sandbox.run("unshare", "ffffffff", "--yes")
        #expect(unknown.status == 3 && unknown.stderr.contains("no evidence record") && unknown.stderr.contains("hint:"))
    }

    @Test func purgingASharedNoteKeepsOrWithdrawsItsEvidenceAsAsked() throws {
        let sandbox = try Sandbox()
        let kept = try Self.sharedNote(sandbox)
        let keptID = try #require(try sandbox.share(kept)["id"] as? String)
        let purged = try sandbox.run("purge", kept, "--yes")
        #expect(purged.status == 0 && purged.stderr.contains("stays shared (\(keptID))"), "\(purged.stderr)")

        let withdrawn = try Self.sharedNote(sandbox, caseload: 40)
        let withdrawnID = try #require(try sandbox.share(withdrawn)["id"] as? String)
        let both = try sandbox.run("purge", withdrawn, "--yes", "--withdraw-evidence")
        #expect(both.status == 0 && both.stdout.contains("withdrew the evidence shared from it (\(withdrawnID))"), "\(both.stdout)")
        let left = try #require(try sandbox.run("evidence", "list", "--json").json() as? [[String: Any]])
        #expect(left.compactMap { $0["id"] as? String } == [keptID])
    }

    /// The excerpt: --yes alone is not enough for it; --yes-excerpt is.
    @Test func anExcerptThatLooksIdentifyingNeedsItsOwnYes() throws {
        let sandbox = try Sandbox()
        let note = try Self.sharedNote(sandbox)
        let excerpt = "Mrs Smith and her son Jayden (DOB 3/4/2015) at 12 Elm Road"
        try sandbox.markRep()
        let refused = try sandbox.run("share", note, "--yes", "--excerpt", excerpt)
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("a name, a date, an address") && refused.stderr.contains("--yes-excerpt"), "\(refused.stderr)")
        #expect(refused.stderr.contains("[12 Elm Road]"))
        #expect(try sandbox.run("evidence", "list").stdout.contains("no evidence records shared"))
        let shared = try sandbox.share(note, "--yes-excerpt", "--excerpt", excerpt)
        #expect(shared["excerpt"] as? String == excerpt)
    }
}
