import Foundation
import Testing
import SyncCore
@testable import Storage

/// An evidence record can be changed or withdrawn only by its author (the replica of its
/// `create`): every replica refuses anyone else's op on it, in memory and through a store alike,
/// whatever order the ops arrive in.
@Suite("Evidence authorship")
struct EvidenceAuthorTests {
    static let wall: UInt64 = 1_800_000_000_000

    /// A rep's forged ops on `record`: a new caseload (naming the entry it replaces, stamped a day
    /// ahead), a tag, a withdrawal to the bin, and a purge, numbered from `seq`.
    static func forgedOps(by rep: ReplicaID, on record: EntityID, replacing pred: [Dot], from seq: UInt64) -> [Op] {
        let payloads: [OpPayload] = [
            .setField(entity: record, key: "caseload", value: .int(99), pred: pred),
            .addElement(entity: record, set: FieldKey.tags, element: "forged"),
            .setDeleted(entity: record, deleted: true, pred: []),
            .purge(entity: record),
        ]
        return payloads.enumerated().map { offset, payload in
            Op(id: OpID(space: .evidence, replica: rep, seq: seq + UInt64(offset)),
               timestamp: Timestamp(millis: wall + 86_400_000 + UInt64(offset), counter: 0), payload: payload)
        }
    }

    static func expectUntouched(_ state: EntityState?, author: ReplicaID, _ comment: Comment) {
        #expect(state?.author == author, comment)
        #expect(state?.field("caseload") == .int(31), comment)
        #expect(state?.tags == ["overload"], comment)
        #expect(state?.isDeleted == false && state?.isPurged == false, comment)
    }

    @Test func aRepsWriteIsRefusedOnEveryReplicaInMemory() throws {
        let worker = Replica(id: ReplicaID(high: 1, low: 1), wallClock: { Self.wall })
        let rep = Replica(id: ReplicaID(high: 2, low: 2), wallClock: { Self.wall })
        let supervisor = Replica(id: ReplicaID(high: 3, low: 3), wallClock: { Self.wall })
        let record = try worker.create(.evidence, in: .evidence)
        try worker.setField("caseload", to: .int(31), on: record)
        try worker.addTag("overload", to: record)
        let workerOps = worker.log(of: .evidence)
        try rep.receive(workerOps)
        try supervisor.receive(workerOps)

        // Through the ordinary edit path the rep's device refuses at once.
        #expect { try rep.setField("caseload", to: .int(99), on: record) } throws: { error in
            (error as? SyncCoreError)?.code == .notAuthor
        }
        // Forged ops are skipped by every replica, the rep's own included, yet held and counted.
        let pred = try #require(rep.state(of: record)?.fields["caseload"]?.dots)
        let forged = Self.forgedOps(by: rep.id, on: record, replacing: pred, from: 1)
        for replica in [worker, rep, supervisor] {
            try replica.receive(forged)
            Self.expectUntouched(replica.state(of: record), author: worker.id, "replica \(replica.id)")
            #expect(replica.versionVector(of: .evidence)[rep.id] == UInt64(forged.count))
        }
        // A replica that gets forged ops naming nothing before the record's create ends the same.
        let blind = Self.forgedOps(by: rep.id, on: record, replacing: [], from: 1)
        let late = Replica(id: ReplicaID(high: 4, low: 4), wallClock: { Self.wall })
        try late.receive(Array(blind.prefix(3)))
        #expect(late.state(of: record)?.field("caseload") == .int(99))
        try late.receive(Array(blind.suffix(1)))
        #expect(late.pendingCount == 1)
        try late.receive(workerOps)
        #expect(late.pendingCount == 0)
        #expect(late.state(of: record) == worker.state(of: record))
        #expect(rep.state(of: record) == worker.state(of: record) && supervisor.state(of: record) == worker.state(of: record))
        // The author still changes its own record everywhere.
        try worker.setField("caseload", to: .int(32), on: record)
        for replica in [rep, supervisor, late] { try replica.receive(worker.log(of: .evidence)) }
        for replica in [worker, rep, supervisor, late] { #expect(replica.state(of: record)?.field("caseload") == .int(32)) }
    }

    @Test func aRepsWriteIsRefusedThroughStorageApply() throws {
        let workerDirectory = TemporaryDirectory(), repDirectory = TemporaryDirectory(), lateDirectory = TemporaryDirectory()
        let worker = try workerDirectory.store(wallClock: { Self.wall })
        let rep = try repDirectory.store(wallClock: { Self.wall })
        let draft = NoteDraft(text: "", space: .evidence, tags: ["overload"], fields: ["caseload": .int(31)], kind: .evidence)
        let record = try worker.addNotes([draft])[0]
        let workerOps = try allOps(worker, in: .evidence)
        try rep.apply(workerOps)

        let registerDots = try rep.read { db in try EntityRows.load(record, db)?.state.fields["caseload"]?.dots }
        let forged = Self.forgedOps(by: rep.replica, on: record, replacing: try #require(registerDots), from: 1)
        for store in [worker, rep] {
            let result = try store.apply(forged)
            #expect(result.applied == forged.count, "the forged ops are held, so vectors still agree")
            let state = try store.read { db in try EntityRows.load(record, db)?.state }
            Self.expectUntouched(state, author: worker.replica, "store of \(store.replica)")
            let shown = try store.entities(of: .evidence, space: .evidence)
            #expect(shown.map(\.fields["caseload"]) == [.int(31)] && shown.map(\.creator) == [worker.replica])
        }

        // Forged ops that name nothing first, then the record: they are undone when its create
        // arrives, and the purge waited for the create.
        let blind = Self.forgedOps(by: rep.replica, on: record, replacing: [], from: 1)
        let late = try lateDirectory.store(wallClock: { Self.wall })
        #expect(try late.apply(Array(blind.prefix(3))).applied == 3)
        #expect(try late.apply(Array(blind.suffix(1))).parked == 1)
        let result = try late.apply(workerOps)
        #expect(result.drained == 1)
        #expect(try late.status().pendingOps == 0)
        let lateState = try late.read { db in try EntityRows.load(record, db)?.state }
        let workerState = try worker.read { db in try EntityRows.load(record, db)?.state }
        #expect(lateState == workerState)
        Self.expectUntouched(lateState, author: worker.replica, "store that saw the forgery first")
    }

    /// A rep's device sends a `create` of the worker's record id, as a note and as evidence,
    /// before the worker's own create reached the receiver. The worker's create is bound to the
    /// id, so it takes the record back (as evidence, with the forger's ops undone, its purge
    /// too); the forged evidence create counts for nothing. Every delivery order ends equal.
    static func forgedCreates(by rep: ReplicaID, of record: EntityID) -> [[Op]] {
        let stamp = Timestamp(millis: wall - 60_000, counter: 0)
        func op(_ seq: UInt64, _ payload: OpPayload) -> Op {
            Op(id: OpID(space: .evidence, replica: rep, seq: seq), timestamp: stamp, payload: payload)
        }
        let asNote = [op(1, .create(entity: record, kind: .note)),
                      op(2, .setField(entity: record, key: "caseload", value: .int(99), pred: [])),
                      op(3, .purge(entity: record))]
        let asEvidence = [op(1, .create(entity: record, kind: .evidence)),
                          op(2, .setField(entity: record, key: "caseload", value: .int(99), pred: []))]
        return [asNote, asEvidence]
    }

    @Test func aForgedCreateThatArrivesFirstDoesNotMakeTheForgerTheAuthor() throws {
        let worker = Replica(id: ReplicaID(high: 1, low: 1), wallClock: { Self.wall })
        let record = try worker.create(.evidence, in: .evidence)
        #expect(record.isBound(to: OpID(space: .evidence, replica: worker.id, seq: 1)))
        try worker.setField("caseload", to: .int(31), on: record)
        try worker.addTag("overload", to: record)
        let workerOps = worker.log(of: .evidence)
        let rep = ReplicaID(high: 2, low: 2)
        #expect(!record.isBound(to: OpID(space: .evidence, replica: rep, seq: 1)))
        for forged in Self.forgedCreates(by: rep, of: record) {
            let first = Replica(id: ReplicaID(high: 3, low: 3), wallClock: { Self.wall })
            try first.receive(forged)
            try first.receive(workerOps)
            let second = Replica(id: ReplicaID(high: 4, low: 4), wallClock: { Self.wall })
            try second.receive(workerOps)
            try second.receive(forged)
            for replica in [first, second] {
                Self.expectUntouched(replica.state(of: record), author: worker.id, "replica \(replica.id), forged \(forged[0].payload)")
                #expect(replica.state(of: record)?.kind == .evidence)
            }
            #expect(first.state(of: record) == second.state(of: record))
        }
    }

    @Test func aForgedCreateThatArrivesFirstIsOverruledInAStore() throws {
        let workerDirectory = TemporaryDirectory()
        let worker = try workerDirectory.store(wallClock: { Self.wall })
        let draft = NoteDraft(text: "", space: .evidence, tags: ["overload"], fields: ["caseload": .int(31)], kind: .evidence)
        let record = try worker.addNotes([draft])[0]
        let workerOps = try allOps(worker, in: .evidence)
        let workerState = try worker.read { db in try EntityRows.load(record, db)?.state }
        for forged in Self.forgedCreates(by: ReplicaID(high: 2, low: 2), of: record) {
            let directory = TemporaryDirectory()
            let store = try directory.store(wallClock: { Self.wall })
            try store.apply(forged)
            try store.apply(workerOps)
            let state = try store.read { db in try EntityRows.load(record, db)?.state }
            Self.expectUntouched(state, author: worker.replica, "store that saw \(forged[0].payload) first")
            #expect(state == workerState)
            let shown = try store.entities(of: .evidence, space: .evidence)
            #expect(shown.map(\.creator) == [worker.replica] && shown.map(\.fields["caseload"]) == [.int(31)])
        }
    }

    /// A store written before registers kept their seqs and entities their authors (migration
    /// v5) gets both from its op log, and ends as a store that received the same ops now would.
    @Test func anOlderStoreIsFilledInFromItsLog() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store(wallClock: { Self.wall })
        let draft = NoteDraft(text: "", space: .evidence, tags: ["overload"], fields: ["caseload": .int(31)], kind: .evidence)
        let record = try store.addNotes([draft])[0]
        let note = try store.addNote(text: "visit", fields: ["caseload": .int(3)])
        try store.setField(note: note, key: "caseload", value: .int(4))
        try store.delete(note: note)
        let gone = try store.addNote(text: "erased", fields: ["caseload": .int(1)])
        try store.purge(note: gone)
        let forged = Self.forgedOps(by: ReplicaID(high: 2, low: 2), on: record, replacing: [], from: 1)
        try store.apply(Array(forged.prefix(1)))
        func states() throws -> [EntityState?] {
            try store.read { db in try [record, note, gone].map { try EntityRows.load($0, db)?.state } }
        }
        let current = try states()

        // What an older store held: no seqs, no authors, no siblings.
        try store.pool.write { db in
            try db.execute(sql: """
                UPDATE fields SET stamp_seq = 0;
                UPDATE entities SET deleted_seq = NULL, author = NULL;
                DELETE FROM register_siblings;
                """)
            try RegisterRows.backfill(db)
        }
        let filled = try states()
        #expect(filled[0]?.author == store.replica && filled[0]?.field("caseload") == .int(31))
        #expect(filled[1]?.author == store.replica && filled[1]?.isDeleted == true)
        #expect(filled[2]?.author == store.replica && filled[2]?.isPurged == true)
        // The ops in this store carry pred, so replaying them gives exactly the state kept.
        #expect(filled == current)
    }
}
