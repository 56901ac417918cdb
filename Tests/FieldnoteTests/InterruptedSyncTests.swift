import Foundation
import Storage
import SyncCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A sync cut by SIGKILL in the middle: both stores stay intact and the next sync finishes the job.
@Suite("interrupted sync")
struct InterruptedSyncTests {
    /// Enough ops (five a note) for several BATCHes of the largest size a sender uses, so that
    /// the kill lands with batches still to come in either direction.
    static let noteCount = 12_000

    /// Fills `sandbox`'s store with `count` notes in one transaction, through the store's public bulk
    /// API. Running `fieldnote add` a few thousand times would take minutes on a loaded machine (each
    /// run opens the database, migrates, writes with a full sync and closes); the command line has
    /// no bulk import, and what is under test here is sync, not `add`.
    static func fill(_ sandbox: Sandbox, count: Int) throws {
        let store = try Store(directory: sandbox.store)
        defer { try? store.close() }
        let filler = String(repeating: "Caseload and supervision notes, week after week. ", count: 4)
        let drafts = (0..<count).map { index in
            NoteDraft(text: "Bulk note \(index). \(filler)", tags: ["bulk"], fields: ["caseload": .int(Int64(index % 200))])
        }
        try store.addNotes(drafts)
    }

    /// `pull`: the client is empty and receives the big store; `push`: the client holds it and sends.
    @Test("a client killed with SIGKILL mid-sync leaves both stores intact; the next sync completes",
          arguments: ["pull", "push"])
    func killedMidSync(_ direction: String) throws {
        let (client, server) = try trustedPair()
        let (big, small) = direction == "pull" ? (server, client) : (client, server)
        try Self.fill(big, count: Self.noteCount)
        #expect(try big.counts("team").notes == Self.noteCount)
        _ = try small.add("A note from the small side")
        let serving = try ServerProcess(server)
        defer { serving.terminate() }

        // Kill the client once the first batch of the big store has crossed.
        let syncing = try RunningProcess(["sync", serving.address, "--store", client.store.path, "--progress"])
        defer { syncing.terminate() }
        let word = direction == "pull" ? "receiving" : "sending"
        let progress = syncing.waitForLine(onStderr: true, seconds: 60) { $0.hasPrefix(word) }
        #expect(progress != nil, "no progress line: \(syncing.stderr)")
        syncing.signal(SIGKILL)
        syncing.waitForExit()
        #expect(syncing.process.terminationReason == .uncaughtSignal, "the sync ended before the kill: \(syncing.stderr)")

        // Both stores intact; the small side holds only a part of the big store's notes.
        let partial = try small.counts("team").notes
        #expect(partial < Self.noteCount + 1, "the small side already had every note when the client was killed")
        for sandbox in [client, server] {
            let status = try sandbox.status()
            #expect(status["intact"] as? Bool == true)
            #expect(status["integrity"] as? [String] == ["ok"])
        }

        // The server noticed the cut and keeps serving; the next sync completes.
        let finished = try client.syncOK(serving)
        let moved = (finished[direction == "pull" ? "received" : "sent"] as? [String: Any])?["ops"] as? Int ?? 0
        #expect(moved > 0)
        let clientCounts = try client.counts("team"), serverCounts = try server.counts("team")
        #expect(clientCounts.notes == Self.noteCount + 1)
        #expect(clientCounts == serverCounts, "notes and ops per store: \(clientCounts) vs \(serverCounts)")
        #expect(try client.noteIDs() == server.noteIDs())
        #expect(try client.status()["pending_ops"] as? Int == 0)
        #expect(try server.status()["pending_ops"] as? Int == 0)
        // Nothing more to exchange: no op was lost or duplicated.
        let again = try client.syncOK(serving)
        #expect((again["sent"] as? [String: Any])?["ops"] as? Int == 0)
        #expect((again["received"] as? [String: Any])?["ops"] as? Int == 0)
    }
}
