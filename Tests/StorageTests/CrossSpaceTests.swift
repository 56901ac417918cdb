import Foundation
import Testing
import SyncCore
@testable import Storage

/// Ops that name an entity from another space than its own (Protocol.md 6.4). Only a faulty or
/// hostile writer makes them; until the protocol settles which space an entity belongs to, a
/// purge written in another space must at least erase nothing of the entity's own ops, on any
/// store, in any order, and the store and the in-memory `Replica` must keep the same log.
@Suite("Ops from another space")
struct CrossSpaceTests {
    static let now: UInt64 = 1_767_261_600_000
    static let honest = ReplicaID(bytes: Data(repeating: 1, count: 16))!
    static let forger = ReplicaID(bytes: Data(repeating: 2, count: 16))!
    static let note = EntityID.bound(to: OpID(space: .team, replica: honest, seq: 1), millis: now)
    static let text = "Child seen at home, caseload 31"

    /// The note as its author wrote it, in `team`: its bound create and its text.
    static let teamOps = [
        Op(id: OpID(space: .team, replica: honest, seq: 1), timestamp: Timestamp(millis: now, counter: 0),
           payload: .create(entity: note, kind: .note)),
        Op(id: OpID(space: .team, replica: honest, seq: 2), timestamp: Timestamp(millis: now, counter: 1),
           payload: .insertText(entity: note, origin: nil, rightOrigin: nil, text: text)),
    ]

    /// A writer of `evidence` naming the note's id: a create of its own, then a purge.
    static let forgedOps = [
        Op(id: OpID(space: .evidence, replica: forger, seq: 1), timestamp: Timestamp(millis: now + 5, counter: 0),
           payload: .create(entity: note, kind: .note)),
        Op(id: OpID(space: .evidence, replica: forger, seq: 2), timestamp: Timestamp(millis: now + 5, counter: 1),
           payload: .purge(entity: note)),
    ]

    /// The team text, as the store or replica would send it to a peer.
    static func relayedText(_ ops: [Op]) -> String? {
        ops.lazy.compactMap { op -> String? in
            if case .insertText(_, _, _, let text) = op.payload { return text }
            return nil
        }.first
    }

    static func storeLog(_ store: Store, _ space: SpaceID) throws -> [Op] {
        try store.ops(in: space, above: VersionVector(), limit: 100).ops
    }

    static func replicaLog(_ replica: Replica, _ space: SpaceID) -> [Op] {
        replica.ops(in: space, missingFrom: VersionVector())
    }

    @Test(arguments: [true, false])
    func aPurgeFromAnotherSpaceErasesNothingOfTheNote(forgedFirst: Bool) throws {
        let batches = forgedFirst ? [Self.forgedOps, Self.teamOps] : [Self.teamOps, Self.forgedOps]
        let directory = TemporaryDirectory()
        let store = try directory.store(wallClock: { Self.now + 60_000 })
        let replica = Replica(id: .random(), wallClock: { Self.now + 60_000 })
        for batch in batches {
            try store.apply(batch)
            _ = try replica.receive(batch)
        }
        // The note's text is kept, and would be sent on, whole, by both.
        #expect(Self.relayedText(try Self.storeLog(store, .team)) == Self.text)
        #expect(Self.relayedText(Self.replicaLog(replica, .team)) == Self.text)
        // Both keep the same logs of both spaces.
        #expect(try Self.storeLog(store, .team) == Self.replicaLog(replica, .team))
        #expect(try Self.storeLog(store, .evidence) == Self.replicaLog(replica, .evidence))
        if !forgedFirst {
            // The note arrived first: the forged ops change nothing, and it reads as written.
            #expect(try store.note(Self.note).text == Self.text)
        }
    }

    /// Erasure itself is unchanged in the entity's own space: the author's purge erases the text.
    @Test func aPurgeInTheNotesOwnSpaceStillErasesIt() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store(wallClock: { Self.now + 60_000 })
        let replica = Replica(id: .random(), wallClock: { Self.now + 60_000 })
        // The text took seqs 2 to 32, one a character.
        let purge = Op(id: OpID(space: .team, replica: Self.honest, seq: 2 + UInt64(Self.text.unicodeScalars.count)), timestamp: Timestamp(millis: Self.now, counter: 2),
                       payload: .purge(entity: Self.note))
        try store.apply(Self.teamOps + [purge])
        _ = try replica.receive(Self.teamOps + [purge])
        #expect(Self.relayedText(try Self.storeLog(store, .team)) == nil)
        #expect(Self.relayedText(Self.replicaLog(replica, .team)) == nil)
        #expect(try Self.storeLog(store, .team) == Self.replicaLog(replica, .team))
    }

    static let colleague = ReplicaID(bytes: Data(repeating: 3, count: 16))!

    static func forged(_ seq: UInt64, _ payload: OpPayload) -> Op {
        Op(id: OpID(space: .evidence, replica: forger, seq: seq), timestamp: Timestamp(millis: now + 5, counter: UInt32(seq)), payload: payload)
    }

    /// Every order of: the forger's create and tag of the note's id in `evidence`, its purge, the
    /// note's create, the note's text. The note's bound create takes it back to `team` whenever it
    /// arrives: every order gives the note as written, on a store and on a `Replica` alike.
    @Test func theBoundCreateFilesTheNoteUnderItsSpaceInEveryOrder() throws {
        let units: [[Op]] = [
            [Self.forged(1, .create(entity: Self.note, kind: .note)), Self.forged(2, .addElement(entity: Self.note, set: "tags", element: "forged"))],
            [Self.forged(3, .purge(entity: Self.note))],
            [Self.teamOps[0]],
            [Self.teamOps[1]],
        ]
        try Self.inEveryOrder(units) { order, store, replica throws in
            let note = try store.note(Self.note)
            #expect(note.text == Self.text && note.space == .team && note.tags.isEmpty, "order \(order)")
            #expect(try Self.storeLog(store, .team) == Self.replicaLog(replica, .team), "order \(order)")
            #expect(Self.relayedText(try Self.storeLog(store, .team)) == Self.text, "order \(order)")
            // Rebuilding from the log gives the same note.
            try store.rematerialize(.team, authors: [Self.honest], muting: [])
            #expect(try store.note(Self.note).text == Self.text, "order \(order)")
        }
    }

    /// A colleague's purge of the note, which arrived while the forger's create had it filed under
    /// `evidence` and so changed nothing, counts once the bound create takes the note back: the
    /// note is purged and its text erased from the log, in every order.
    @Test func aPurgeOfTheNoteCountsOnceItsCreateTakesItBack() throws {
        let purge = Op(id: OpID(space: .team, replica: Self.colleague, seq: 1), timestamp: Timestamp(millis: Self.now + 9, counter: 0),
                       payload: .purge(entity: Self.note))
        let units: [[Op]] = [
            [Self.forged(1, .create(entity: Self.note, kind: .note)), Self.forged(2, .purge(entity: Self.note))],
            [purge],
            [Self.teamOps[0]],
            [Self.teamOps[1]],
        ]
        try Self.inEveryOrder(units) { order, store, replica throws in
            #expect(Self.relayedText(try Self.storeLog(store, .team)) == nil, "order \(order)")
            #expect(Self.relayedText(Self.replicaLog(replica, .team)) == nil, "order \(order)")
            #expect(try Self.storeLog(store, .team) == Self.replicaLog(replica, .team), "order \(order)")
            #expect(try store.read { db in try Bool.fetchOne(db, sql: "SELECT purged FROM entities") } == true, "order \(order)")
        }
    }

    /// Delivers `units` to a new store and a new `Replica` in every order, and checks each pair.
    static func inEveryOrder(_ units: [[Op]], check: (_ order: [Int], _ store: Store, _ replica: Replica) throws -> Void) throws {
        for order in permutations(of: Array(units.indices)) {
            let directory = TemporaryDirectory()
            let store = try directory.store(wallClock: { now + 60_000 })
            let replica = Replica(id: .random(), wallClock: { now + 60_000 })
            for index in order {
                try store.apply(units[index])
                _ = try replica.receive(units[index])
            }
            try check(order, store, replica)
        }
    }

    static func permutations(of items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[Int]] in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(of: rest).map { [first] + $0 }
        }
    }
}
