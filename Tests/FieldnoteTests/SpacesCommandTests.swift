import Foundation
import Testing

/// Space names are checked wherever they are typed; a sync with no space in common fails.
@Suite("spaces")
struct SpacesCommandTests {
    /// A refusal for an unknown space: exit 4, two lines, the suggestion and how to make it.
    func expectUnknownSpace(_ result: FieldnoteProcess.Result, _ name: String, suggesting guess: String?) {
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderrLines.count == 2, "\(result.stderr)")
        #expect(result.stderr.contains("no space \"\(name)\""), "\(result.stderr)")
        #expect(result.stderr.contains("fieldnote spaces add \(name)"), "\(result.stderr)")
        if let guess {
            #expect(result.stderr.contains("did you mean \"\(guess)\"?"), "\(result.stderr)")
        } else {
            #expect(!result.stderr.contains("did you mean"), "\(result.stderr)")
        }
    }

    @Test("a typo in peers add --spaces is refused with a suggestion, and the grant stays as it was")
    func peersAddTypo() throws {
        let sandbox = try Sandbox(), other = try Sandbox()
        let otherID = try other.deviceID()
        #expect(try sandbox.peers("add", otherID, "--name", "Ben", "--spaces", "team").status == 0)
        let before = try sandbox.snapshot()

        expectUnknownSpace(try sandbox.peers("add", otherID, "--name", "Ben", "--spaces", "teams"), "teams", suggesting: "team")
        expectUnknownSpace(try sandbox.peers("add", otherID, "--name", "Ben", "--spaces", "evidence,tema"), "tema", suggesting: "team")
        #expect(try sandbox.snapshot() == before)
        let peers = try #require(try sandbox.peers("list", "--json").json() as? [[String: Any]])
        #expect(peers.first?["spaces"] as? [String: String] == ["team": "read-write"])

        // A real change of grants says what it took away.
        let changed = try sandbox.peers("add", otherID, "--name", "Ben", "--spaces", "evidence")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("no longer granted: team"), "\(changed.stdout)")
    }

    @Test("add --space with a typo is refused and the store is unchanged; without a store, none is created")
    func addTypo() throws {
        let fresh = try Sandbox()
        expectUnknownSpace(try fresh.run("add", "Home visit", "--space", "tema"), "tema", suggesting: "team")
        #expect(!FileManager.default.fileExists(atPath: fresh.store.path), "a typo created a store")

        let sandbox = try Sandbox()
        let id = try sandbox.add("Home visit, nobody in")
        let before = try sandbox.snapshot()
        expectUnknownSpace(try sandbox.run("add", "Home visit", "--space", "tema"), "tema", suggesting: "team")
        expectUnknownSpace(try sandbox.run("add", "Hearing", "--space", "family"), "family", suggesting: nil)
        expectUnknownSpace(try sandbox.run("list", "--space", "evidnce"), "evidnce", suggesting: "evidence")
        expectUnknownSpace(try sandbox.run("list", "--bin", "--space", "tema"), "tema", suggesting: "team")
        expectUnknownSpace(try sandbox.run("sync", "127.0.0.1:9", "--space", "teams"), "teams", suggesting: "team")
        #expect(try sandbox.snapshot() == before)
        #expect(try sandbox.noteIDs() == [id])
    }

    @Test("spaces add makes a space that add, list, peers add and spaces list then accept")
    func makeThenUse() throws {
        let sandbox = try Sandbox(), other = try Sandbox()
        let made = try sandbox.spaces("add", "family-court")
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("made space family-court"))
        #expect(try sandbox.spaces("add", "family-court").stdout.contains("exists already"))
        #expect(try sandbox.spaces("add", "Family Court").status == 4)

        let note = try sandbox.add("Hearing moved to Friday", "--space", "family-court")
        _ = try sandbox.add("Home visit")
        #expect(try sandbox.noteIDs(space: "family-court") == [note])
        let granted = try sandbox.peers("add", try other.deviceID(), "--name", "Ben", "--spaces", "team,family-court", "--read-only")
        #expect(granted.status == 0, "\(granted.stderr)")

        let listed = try sandbox.spaces("list", "--json")
        #expect(listed.status == 0, "\(listed.stderr)")
        let spaces = try #require(try listed.json() as? [[String: Any]])
        #expect(spaces.map { $0["space"] as? String } == ["evidence", "family-court", "team"])
        #expect(spaces.map { $0["notes"] as? Int } == [0, 1, 1])
        #expect(spaces.map { $0["origin"] as? String } == ["built-in", "made", "built-in"])
        let grants = spaces[1]["granted"] as? [[String: String]]
        #expect(grants?.map { $0["name"] } == ["Ben"])
        #expect(grants?.first?["access"] == "read-only")
        #expect((spaces[0]["granted"] as? [Any])?.isEmpty == true)

        let table = try sandbox.spaces("list")
        let row = table.stdout.split(separator: "\n").first { $0.hasPrefix("family-court") }
        #expect(row.map { $0.contains("1") && $0.contains("Ben (read-only)") } == true, "\(table.stdout)")
    }

    @Test("a sync with no space in common exits 9, and both sides say what each grants the other")
    func noCommonSpace() throws {
        let a = try Sandbox(), b = try Sandbox()
        try a.trust(b, as: "Bea", spaces: "evidence")
        try b.trust(a, as: "Ari", spaces: "team")
        _ = try a.add("Week: caseload 27", "--space", "evidence")
        let server = try ServerProcess(b)
        defer { server.terminate() }

        let result = try a.sync(server)
        #expect(result.status == 9, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.count == 2, "\(result.stderr)")
        #expect(result.stderr.contains("no space in common"), "\(result.stderr)")
        #expect(result.stderr.contains("this device grants Bea evidence; Bea grants this device team"), "\(result.stderr)")
        let logged = server.running.waitForLine(onStderr: true, seconds: 10) { $0.contains("nothing synced with Ari") }
        #expect(logged?.contains("this device grants Ari team; Ari offered evidence") == true, "\(server.running.stderr)")
        #expect(try b.noteIDs(space: "evidence").isEmpty)

        // Asking for a space the server grants but this device does not: the same, and says what was asked.
        let asked = try a.sync(server, "--space", "team")
        #expect(asked.status == 9, "\(asked.stderr)")
        #expect(asked.stderr.contains("this sync asked only for team"), "\(asked.stderr)")

        // Once one space is in common the sync succeeds, and names the space it could not carry.
        try a.trust(b, as: "Bea", spaces: "team,evidence")
        let partial = try a.run("sync", server.address)
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(partial.stdout.contains("spaces    team"), "\(partial.stdout)")
        #expect(partial.stdout.contains("skipped   evidence: Bea does not grant it to this device"), "\(partial.stdout)")
        #expect((try a.syncOK(server)["skipped"] as? [String]) == ["evidence"])
    }
}

extension Sandbox {
    /// `fieldnote spaces SUBCOMMAND --store … ARGUMENTS…`.
    func spaces(_ subcommand: String, _ arguments: String...) throws -> FieldnoteProcess.Result {
        try FieldnoteProcess.run(["spaces", subcommand, "--store", store.path] + arguments)
    }
}
