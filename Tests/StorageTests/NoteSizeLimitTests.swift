import Foundation
import Testing
import SyncCore
@testable import Storage

/// One maximum note size (`OpCodec.maximumNoteScalars`) for local writes, a peer's ops and serving.
@Suite("Note size limit")
struct NoteSizeLimitTests {
    static let limit = OpCodec.maximumNoteScalars
    static let peer = ReplicaID(high: 0x5EE5_0000_0000_0001, low: 0x0000_0000_0000_0002)

    @Test("add refuses a note one character past the limit and writes nothing; at the limit it is kept")
    func addRefusesLongText() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        try store.addNote(text: "before")
        let vectors = try store.versionVectors()
        #expect(throws: StoreError(.noteTooLong, "the text is \(Self.limit + 1) characters long; a note holds at most \(Self.limit)")) {
            try store.addNote(text: String(repeating: "x", count: Self.limit + 1))
        }
        #expect(try store.versionVectors() == vectors)
        let id = try store.addNote(text: String(repeating: "y", count: Self.limit))
        #expect(try store.note(id).text.unicodeScalars.count == Self.limit)
    }

    @Test("edit refuses text past the limit and leaves the note as it was")
    func editRefusesLongText() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try store.addNote(text: "Caseload 31 today")
        let vectors = try store.versionVectors()
        #expect(throws: StoreError.self) { try store.editText(note: id, newText: String(repeating: "é", count: Self.limit + 1)) }
        #expect(try store.note(id).text == "Caseload 31 today")
        #expect(try store.versionVectors() == vectors)
    }

    @Test("a peer's insertion that would pass the limit is refused alone; the ops after it still apply")
    func applyRefusesTheInsertionOnly() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let note = EntityID(high: 0x019B_0000_0000_7000, low: 0x8000_0000_0000_0001)
        let now = Store.systemMillis()
        func op(_ seq: UInt64, _ payload: OpPayload) -> Op {
            Op(id: OpID(space: .team, replica: Self.peer, seq: seq), timestamp: Timestamp(millis: now + seq, counter: 0), payload: payload)
        }
        let fits = String(repeating: "a", count: Self.limit - 10)
        let ops = [
            op(1, .create(entity: note, kind: .note)),
            op(2, .insertText(entity: note, origin: nil, rightOrigin: nil, text: fits)),
            // Eleven more characters would make the note one past the limit.
            op(UInt64(fits.count) + 2, .insertText(entity: note, origin: nil, rightOrigin: nil, text: String(repeating: "b", count: 11))),
            op(UInt64(fits.count) + 13, .setField(entity: note, key: "caseload", value: .int(31))),
        ]
        let result = try store.apply(ops)
        #expect(result.refused == 1)
        #expect(result.applied == 4)
        let record = try store.note(note)
        #expect(record.text == fits)
        #expect(record.fields["caseload"] == .int(31))
        #expect(try store.versionVector(.team)[Self.peer] == UInt64(fits.count) + 13)
        // The refused insertion is held erased: served on in that form, never as its text.
        let served = try allOps(store)
        #expect(served.contains { $0.payload == .erased(entity: note, span: 11) })

        // The in-memory replica (the reference the conformance fixtures replay) decides as the store.
        let replica = Replica(id: ReplicaID(high: 0xEE, low: 0xEE), wallClock: { now })
        let summary = try replica.receive(ops)
        #expect(summary.refused == 1 && summary.applied == 4)
        #expect(replica.text(of: note) == fits)
        #expect(replica.state(of: note)?.field("caseload") == .int(31))
        #expect(replica.versionVector(of: .team) == (try store.versionVector(.team)))
        #expect(replica.log(of: .team).map(\.payload) == served.map(\.payload))
    }

    @Test("a note already past the limit is served with its long insertion erased; every op decodes")
    func oversizedNoteIsServedAround() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let oversized = try store.writeUncheckedNote(String(repeating: "z", count: Self.limit + 1_000))
        let later = try store.addNote(text: "Written afterwards")
        let ops = try allOps(store)
        #expect(ops.allSatisfy { OpCodec.Limits.default.admits($0.payload) })
        let decoded = try OpCodec.decode(OpCodec.encode(OpBatch(ops: ops)))

        let receiverDirectory = TemporaryDirectory("receiver")
        let receiver = try receiverDirectory.store()
        try receiver.apply(decoded.ops)
        #expect(try receiver.note(later).text == "Written afterwards")
        #expect(try receiver.note(oversized).text.isEmpty)
        #expect(try receiver.versionVectors() == store.versionVectors())
        // The store that holds it still reads it whole.
        #expect(try store.note(oversized).text.count == Self.limit + 1_000)
    }
}

extension Store {
    /// A note written as `add` wrote it before the limit existed: one create and one insertion of
    /// `text`, whatever its length.
    func writeUncheckedNote(_ text: String) throws -> EntityID {
        try write { session in
            var factory = try session.makeFactory()
            var (state, create) = EntityState.create(.note, in: .team, using: &factory)
            try session.log(create)
            if let op = try state.insertText(text, at: 0, using: &factory) { try session.log(op) }
            session.put(state)
            session.absorb(factory)
            return state.id
        }
    }
}
