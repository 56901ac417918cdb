import Foundation
import Testing
import SyncCore
@testable import Storage

/// Merge detection without processes: two stores exchange ops as a sync session does, each
/// applying the other's with the vectors the HELLOs would carry.
@Suite("Merge detection")
struct MergeDetectionTests {
    /// One session between `client` and `server`: vectors read first (the HELLOs), the client's
    /// ops applied on the server, then the server's on the client. Returns what each side marked.
    @discardableResult
    static func sync(_ client: Store, _ server: Store) throws -> Marked {
        let clientVector = try client.versionVector(.team)
        let serverVector = try server.versionVector(.team)
        let onServer = try server.apply(allOps(client, above: serverVector), merging: MergeContext(
            space: .team, sender: client.replica, senderVector: clientVector, localVector: serverVector))
        let onClient = try client.apply(allOps(server, above: clientVector), merging: MergeContext(
            space: .team, sender: server.replica, senderVector: serverVector, localVector: clientVector))
        return Marked(client: onClient.merged, server: onServer.merged)
    }

    struct Marked {
        var client: [MergeMark]
        var server: [MergeMark]
        var isQuiet: Bool { client.isEmpty && server.isEmpty }
    }

    /// Two stores holding the same note, synced.
    static func pair(text: String = "Caseload is 31 this week.", fields: [String: FieldValue] = [:])
        throws -> (Store, Store, EntityID, [TemporaryDirectory]) {
        let directories = [TemporaryDirectory(), TemporaryDirectory()]
        let a = try directories[0].store(), b = try directories[1].store()
        let note = try a.addNote(text: text, fields: fields)
        let first = try sync(a, b)
        #expect(first.isQuiet, "an initial sync merges nothing")
        return (a, b, note, directories)
    }

    @Test("concurrent edits of the same words are marked on both sides, with each side's text kept for history")
    func concurrentTextEdits() throws {
        let (a, b, note, directories) = try Self.pair()
        _ = directories
        try a.editText(note: note, newText: "Caseload is 32 this week.")
        try b.editText(note: note, newText: "Caseload is 33 this week.")
        let merged = try Self.sync(a, b)

        let both: [(marks: [MergeMark], store: Store, other: Store)] = [(merged.client, a, b), (merged.server, b, a)]
        for (marks, store, other) in both {
            #expect(marks.map(\.note) == [note])
            #expect(marks.first?.text == true)
            #expect(marks.first?.fields == [])
            #expect(marks.first?.localAuthors == [store.replica])
            #expect(marks.first?.remoteAuthors == [other.replica])
            #expect(try store.mergeMarks(note) == marks)
        }
        let mergedText = try a.note(note).text
        #expect(mergedText == (try b.note(note).text))
        #expect(mergedText == "Caseload is 323 this week." || mergedText == "Caseload is 332 this week.")

        let history = try a.textHistory(note)
        guard case .merge(_, let localText, let remoteText, let result) = history.last else {
            Issue.record("no merge in the text history: \(history)")
            return
        }
        #expect(localText == "Caseload is 32 this week.")
        #expect(remoteText == "Caseload is 33 this week.")
        #expect(result == mergedText)
        var texts: [String] = []
        var sides: [MergeSide?] = []
        for case .change(_, _, let text, let side) in history {
            texts.append(text)
            sides.append(side)
        }
        #expect(texts == ["Caseload is 31 this week.", "Caseload is 32 this week.", "Caseload is 33 this week."])
        #expect(sides == [nil, .local(sender: b.replica), .remote(sender: b.replica)])
    }

    @Test("concurrent sets of one field are marked; of different fields, or tags, are not")
    func concurrentFieldSets() throws {
        let (a, b, note, directories) = try Self.pair(fields: ["caseload": .int(31)])
        _ = directories
        try a.setField(note: note, key: "caseload", value: .int(32))
        try b.setField(note: note, key: "caseload", value: .int(33))
        let merged = try Self.sync(a, b)
        #expect(merged.client.map(\.fields) == [["caseload"]])
        #expect(merged.server.map(\.fields) == [["caseload"]])
        #expect(merged.client.first?.text == false)

        try a.setField(note: note, key: "hours_worked", value: .int(9))
        try b.setField(note: note, key: "supervision", value: .string("cancelled"))
        try b.tag(note: note, add: ["overtime"])
        let apart = try Self.sync(a, b)
        #expect(apart.isQuiet)
        #expect(try a.mergeMarks(note).count == 1)
    }

    @Test("edits made one after the other, each seen before the next, are not marked")
    func sequentialEdits() throws {
        let (a, b, note, directories) = try Self.pair(fields: ["caseload": .int(31)])
        _ = directories
        try a.editText(note: note, newText: "Caseload is 32 this week.")
        try a.setField(note: note, key: "caseload", value: .int(32))
        #expect(try Self.sync(a, b).isQuiet)
        try b.editText(note: note, newText: "Caseload is 33 this week.")
        try b.setField(note: note, key: "caseload", value: .int(33))
        #expect(try Self.sync(b, a).isQuiet)
        try a.editText(note: note, newText: "Caseload is 34 this week.")
        #expect(try Self.sync(a, b).isQuiet)
        #expect(try b.note(note).text == "Caseload is 34 this week.")
        #expect(try a.mergeMarks(note).isEmpty)
        #expect(try b.textHistory(note).allSatisfy { if case .change(_, _, _, nil) = $0 { true } else { false } })
    }

    @Test("an edit on one side and nothing on the other: the note is new there or simply updated, never marked")
    func oneSidedChanges() throws {
        let (a, b, note, directories) = try Self.pair()
        _ = directories
        try b.addNote(text: "A note only B has")
        try a.editText(note: note, newText: "Caseload is 35 this week.")
        #expect(try Self.sync(a, b).isQuiet)
    }

    @Test("replica ids learned from syncs map to device ids, and an unchanged one is not written again")
    func peerReplicas() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let peer = ReplicaID.random()
        try store.rememberPeerReplica(peer, device: "GWVEPTE-NXHGALG")
        try store.rememberPeerReplica(peer, device: "GWVEPTE-NXHGALG")
        #expect(try store.peerReplicas() == [peer: "GWVEPTE-NXHGALG"])
        try store.rememberPeerReplica(peer, device: "BO5NZOF-6PHARER")
        #expect(try store.peerReplicas() == [peer: "BO5NZOF-6PHARER"])
    }

    @Test("history --text shows one device's successive edits each with the text it left")
    func successiveEditsByOneDeviceAreSeparateChanges() throws {
        let directory = TemporaryDirectory()
        let clock = ManualClock(start: 1_780_000_000_000)
        let store = try directory.store(wallClock: { clock.now })
        let note = try store.addNote(text: "Caseload 31.")
        clock.advance(by: 5_000)
        _ = try store.editText(note: note, newText: "Caseload 32.")
        clock.advance(by: 5_000)
        _ = try store.editText(note: note, newText: "Caseload 32. Supervision cancelled.")
        let texts = try store.textHistory(note).compactMap { entry -> String? in
            if case .change(_, _, let text, _) = entry { text } else { nil }
        }
        #expect(texts == ["Caseload 31.", "Caseload 32.", "Caseload 32. Supervision cancelled."])
    }
}

/// A wall clock a test moves by hand.
final class ManualClock: @unchecked Sendable {
    // Unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var millis: UInt64

    init(start: UInt64) { millis = start }

    var now: UInt64 { lock.withLock { millis } }

    func advance(by delta: UInt64) { lock.withLock { millis += delta } }
}
