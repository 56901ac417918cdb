import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `serve` and `sync` end to end: real processes, real TLS, 127.0.0.1, ports picked by the system.
@Suite("serve and sync")
struct SyncCommandTests {
    @Test("a store syncs into an empty one, and both directions carry notes")
    func convergeOneSideEmptyThenBoth() throws {
        let (a, b) = try trustedPair()
        let first = try a.add("Caseload 31 today", "--field", "caseload=31", "--tag", "caseload")
        let second = try a.add("Supervision cancelled again", "--field", "supervision=cancelled")
        let server = try ServerProcess(b)
        defer { server.terminate() }

        // B is empty.
        let summary = try a.syncOK(server)
        #expect((summary["sent"] as? [String: Any])?["ops"] as? Int ?? 0 > 0)
        #expect((summary["received"] as? [String: Any])?["ops"] as? Int == 0)
        #expect(summary["peer_name"] as? String == "Bea")
        #expect(try b.noteIDs() == [first, second].sorted())
        #expect(try b.note(first)["fields"] as? [String: Int] == ["caseload": 31])
        #expect(try b.note(first)["tags"] as? [String] == ["caseload"])

        // Both write notes, in both spaces.
        let fromA = try a.add("Hours on recording: 9", "--field", "hours_recording=9")
        let fromB = try b.add("Referral screened by agency worker", "--tag", "front_door")
        let evidenceB = try b.add("Week: caseload 27", "--space", "evidence", "--field", "caseload=27")
        try a.syncOK(server)
        let expected = [first, second, fromA, fromB].sorted()
        #expect(try a.noteIDs() == expected)
        #expect(try b.noteIDs() == expected)
        #expect(try a.noteIDs(space: "evidence") == [evidenceB])
        #expect(try a.status()["replica"] as? String != b.status()["replica"] as? String)
    }

    @Test("notes received wait for the search index; status counts them and the next search adds them")
    func receivedNotesWaitForTheIndex() throws {
        let (a, b) = try trustedPair()
        let note = try a.add("Orchard visit: caseload 31 today", "--tag", "caseload")
        _ = try a.add("Supervision cancelled again")
        let server = try ServerProcess(b)
        defer { server.terminate() }
        try a.syncOK(server)
        #expect(try b.status()["unindexed_notes"] as? Int == 2)
        let status = try b.run("status")
        #expect(status.stdout.contains("2 notes received from peers are not in the search index yet; the next search adds them"))
        let hits = try b.run("search", "orchard", "--json").json() as? [[String: Any]]
        #expect(hits?.map { $0["id"] as? String } == [note])
        #expect(try b.status()["unindexed_notes"] as? Int == 0)
        #expect(try !b.run("status").stdout.contains("search index"))
    }

    @Test("sync adds the notes it received to the search index before it exits; serve leaves them to the next search")
    func syncIndexesWhatItReceived() throws {
        let (a, b) = try trustedPair()
        let fromB = try b.add("Orchard visit: caseload 31 today", "--tag", "caseload")
        let fromA = try a.add("Supervision cancelled at the orchard office")
        let server = try ServerProcess(b)
        defer { server.terminate() }
        let summary = try a.syncOK(server)
        #expect((summary["received"] as? [String: Any])?["applied"] as? Int ?? 0 > 0)
        #expect(try a.status()["unindexed_notes"] as? Int == 0)
        #expect(try b.status()["unindexed_notes"] as? Int == 1)
        let hits = try a.run("search", "orchard", "--json").json() as? [[String: Any]]
        #expect(Set(hits?.compactMap { $0["id"] as? String } ?? []) == [fromA, fromB])
    }

    @Test("both edit the same note offline: both sentences are in the merged text on both sides")
    func concurrentEditsMerge() throws {
        let (a, b) = try trustedPair()
        let original = "Duty log, Monday. Four new referrals came in before noon."
        let id = try a.add(original)
        let server = try ServerProcess(b)
        defer { server.terminate() }
        try a.syncOK(server)
        #expect(try b.note(id)["text"] as? String == original)

        let ashaText = original + " Two were screened by an agency worker."
        let benText = "Duty log, Monday. The duty manager was off sick. Four new referrals came in before noon."
        #expect(try a.run("edit", id, "--text", ashaText).status == 0)
        #expect(try b.run("edit", id, "--text", benText).status == 0)
        try a.syncOK(server)

        let merged = "Duty log, Monday. The duty manager was off sick. Four new referrals came in before noon. Two were screened by an agency worker."
        let onA = try a.note(id)["text"] as? String
        let onB = try b.note(id)["text"] as? String
        #expect(onA == onB)
        #expect(onA == merged)
        #expect(onA?.contains("The duty manager was off sick.") == true)
        #expect(onA?.contains("Two were screened by an agency worker.") == true)
    }

    @Test("A→B then B→C gives C A's notes; a repeated sync sends and receives nothing")
    func transitiveAndIdempotent() throws {
        let a = try Sandbox(), b = try Sandbox(), c = try Sandbox()
        try a.trust(b, as: "B"); try b.trust(a, as: "A")
        try b.trust(c, as: "C"); try c.trust(b, as: "B")
        let ids = try (1...5).map { try a.add("Note \($0) from A") }.sorted()

        let serverB = try ServerProcess(b)
        defer { serverB.terminate() }
        try a.syncOK(serverB)
        let serverC = try ServerProcess(c)
        defer { serverC.terminate() }
        try b.syncOK(serverC)
        #expect(try c.noteIDs() == ids)

        for (client, server) in [(b, serverC), (a, serverB)] {
            let again = try client.syncOK(server)
            #expect((again["sent"] as? [String: Any])?["ops"] as? Int == 0, "\(again)")
            #expect((again["received"] as? [String: Any])?["ops"] as? Int == 0, "\(again)")
        }
        // The text summary says so too.
        let text = try b.run("sync", serverC.address)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("sent      0 ops"), "\(text.stdout)")
        #expect(text.stdout.contains("received  0 ops"), "\(text.stdout)")
    }

    @Test("a device granted only evidence never receives a team note")
    func evidenceOnlyPeer() throws {
        let worker = try Sandbox(), rep = try Sandbox()
        try worker.trust(rep, as: "Rosa", spaces: "evidence")
        try rep.trust(worker, as: "Asha", spaces: "evidence,team")
        let teamNote = try worker.add("Home visit: caseload 31", "--field", "caseload=31")
        let evidence = try worker.add("Week: caseload 31", "--space", "evidence", "--field", "caseload=31")

        // Both directions: the rep serves, then the worker serves.
        let repServer = try ServerProcess(rep)
        defer { repServer.terminate() }
        let summary = try worker.syncOK(repServer)
        #expect(summary["spaces"] as? [String] == ["evidence"])
        let workerServer = try ServerProcess(worker)
        defer { workerServer.terminate() }
        try rep.syncOK(workerServer)
        // Asking for team explicitly exchanges nothing, and says so (exit 9: no space in common).
        let asked = try rep.run("sync", workerServer.address, "--space", "team", "--json")
        #expect(asked.status == 9, "\(asked.stderr)")
        #expect(asked.stderr.contains("Asha grants this device evidence"), "\(asked.stderr)")

        let listed = try rep.run("list", "--space", "team", "--json")
        #expect(listed.status == 0)
        #expect((try listed.json() as? [Any])?.isEmpty == true)
        #expect(try rep.counts("team").ops == 0)
        #expect(try rep.noteIDs(space: "evidence") == [evidence])
        #expect(try worker.noteIDs() == [teamNote])
    }

    @Test("an untrusted device is refused, and so is a server the client does not trust")
    func untrustedRefused() throws {
        let server = try Sandbox(), stranger = try Sandbox(), known = try Sandbox()
        try server.trust(known, as: "Known")
        try known.trust(server, as: "Server")
        let serving = try ServerProcess(server)
        defer { serving.terminate() }
        _ = try server.add("Not for strangers")

        // The stranger trusts the server, but the server does not trust the stranger.
        try stranger.trust(server, as: "Server")
        let before = try stranger.snapshot()
        let refused = try stranger.sync(serving)
        #expect(refused.status == 6, "\(refused.status): \(refused.stderr)")
        #expect(refused.stderrLines.count == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("error: the device at \(serving.address) refused this one"), "\(refused.stderr)")
        #expect(refused.stderr.contains("hint: on that device run: fieldnote peers add"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(try stranger.noteIDs().isEmpty)
        #expect(try stranger.snapshot().keys == before.keys)
        // The server logs the refusal on stderr, and keeps serving.
        #expect(serving.running.waitForLine(onStderr: true, seconds: 10) { $0.contains("failed") } != nil, "\(serving.running.stderr)")

        // The client trusts nobody yet: refused before connecting.
        let nobody = try Sandbox()
        let lonely = try nobody.sync(serving)
        #expect(lonely.status == 6)
        #expect(lonely.stderr.contains("peers add"), "\(lonely.stderr)")

        // The server is not in the client's list (it trusts someone else).
        let wary = try Sandbox()
        try wary.trust(known, as: "Known")
        try server.trust(wary, as: "Wary")
        let distrusted = try wary.sync(serving)
        #expect(distrusted.status == 6, "\(distrusted.status): \(distrusted.stderr)")
        #expect(distrusted.stderr.contains("is not one this device trusts"), "\(distrusted.stderr)")

        // The trusted device still syncs.
        #expect(try known.sync(serving).status == 0)
        #expect(try known.noteIDs().count == 1)
    }

    @Test("nothing listening is unreachable (exit 5); a bad address is refused (exit 4)")
    func unreachableAndBadAddress() throws {
        let (a, b) = try trustedPair()
        // A port that was free a moment ago.
        let server = try ServerProcess(b)
        let port = server.port
        server.terminate()
        let result = try a.run("sync", "127.0.0.1:\(port)")
        #expect(result.status == 5, "\(result.status): \(result.stderr)")
        #expect(result.stderr.contains("cannot reach 127.0.0.1:\(port)"), "\(result.stderr)")
        let bad = try a.run("sync", "127.0.0.1:notaport")
        #expect(bad.status == 4)
        #expect(bad.stderr.contains("not a peer address"), "\(bad.stderr)")
    }

    @Test("serve stops cleanly and exits 0 on SIGTERM and on SIGINT", arguments: [SIGTERM, SIGINT])
    func serveStopsOnSignal(_ signal: Int32) throws {
        let (a, b) = try trustedPair()
        let server = try ServerProcess(b)
        defer { server.terminate() }
        #expect(server.running.stdout == "listening on 127.0.0.1:\(server.port)\n")
        _ = try a.add("One note")
        try a.syncOK(server)
        #expect(server.running.waitForLine(onStderr: true, seconds: 10) { $0.contains("synced with Ari") } != nil,
                "\(server.running.stderr)")
        server.running.signal(signal)
        #expect(server.running.waitForExit(seconds: 20) == 0, "\(server.running.stderr)")
        #expect(server.running.stderr.contains("stopped"))
        #expect(try b.counts("team").notes == 1)
        #expect(try b.status()["intact"] as? Bool == true)
    }
}
