import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

/// Received batches leave their notes' search rows in `search_backlog`, and search is never
/// stale: it indexes the backlog first, edits and purges never leave an old version findable,
/// and a crash after a batch leaves a backlog that a later search drains.
@Suite("Search backlog")
struct SearchBacklogTests {
    /// A source with `count` notes about "orchard", and a receiver holding them through `apply`;
    /// the directories live as long as the stores.
    struct Received {
        let directories = (source: TemporaryDirectory("source"), receiver: TemporaryDirectory())
        let source: Store
        let receiver: Store

        init(_ count: Int) throws {
            source = try directories.source.store()
            try source.addNotes((0..<count).map { NoteDraft(text: "orchard visit \($0)", tags: ["visits"], fields: ["caseload": .int(Int64($0))]) })
            receiver = try directories.receiver.store()
            try receiver.apply(try allOps(source))
        }
    }

    static func ftsRows(_ store: Store) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fts") ?? 0 }
    }

    @Test func aReceivedBatchIsIndexedByTheNextSearch() throws {
        let received = try Received(30)
        let (source, receiver) = (received.source, received.receiver)
        #expect(try receiver.unindexedNotes() == 30)
        #expect(try Self.ftsRows(receiver) == 0)
        #expect(try receiver.search("orchard", limit: nil).count == 30)
        #expect(try receiver.search("caseload 7").count == 1)
        #expect(try receiver.unindexedNotes() == 0)
        #expect(try Self.ftsRows(receiver) == 30)
        // Local edits still index in their own transaction.
        try source.addNote(text: "orchard in the source only")
        #expect(try source.unindexedNotes() == 0)
    }

    @Test func updateSearchIndexDrainsInChunksAndReports() throws {
        let received = try Received(25)
        let receiver = received.receiver
        let moved = try receiver.write { session in try SearchBacklog.drain(limit: 10, session.db) }
        #expect(moved == 10)
        #expect(try receiver.unindexedNotes() == 15)
        #expect(try receiver.updateSearchIndex() == 15)
        #expect(try receiver.updateSearchIndex() == 0)
        #expect(try receiver.search("orchard", limit: nil).count == 25)
    }

    @Test func aReceivedEditNeverLeavesTheOldTextFindable() throws {
        let received = try Received(3)
        let (source, receiver) = (received.source, received.receiver)
        #expect(try receiver.search("orchard", limit: nil).count == 3)
        let note = try source.notes(limit: nil).first!.id
        let before = try allOps(source)
        try source.editText(note: note, newText: "meadow visit rewritten")
        try receiver.apply(try allOps(source).filter { !before.contains($0) })
        // Before any drain, the index no longer holds the old version.
        #expect(try Self.ftsRows(receiver) == 2)
        #expect(try receiver.unindexedNotes() == 1)
        #expect(try receiver.search("orchard", limit: nil).count == 2)
        #expect(try receiver.search("meadow").map(\.id) == [note])
    }

    @Test func aLocalEditAfterAReceivedBatchWinsOverTheBacklog() throws {
        let received = try Received(2)
        let receiver = received.receiver
        let note = try receiver.notes(limit: nil).first!.id
        try receiver.editText(note: note, newText: "lighthouse visit")
        #expect(try receiver.unindexedNotes() == 1)
        #expect(try receiver.search("lighthouse").map(\.id) == [note])
        #expect(try receiver.search("orchard", limit: nil).map(\.id).contains(note) == false)
        #expect(try receiver.search("orchard", limit: nil).count == 1)
    }

    @Test func deletingOrPurgingAReceivedNoteDropsItsBacklogRow() throws {
        let received = try Received(3)
        let (source, receiver) = (received.source, received.receiver)
        let notes = try receiver.notes(limit: nil).map(\.id)
        try receiver.purge(note: notes[0])
        #expect(try receiver.unindexedNotes() == 2)
        // A deletion received from the source, before any drain.
        let before = try allOps(source)
        try source.delete(note: notes[1])
        try receiver.apply(try allOps(source).filter { !before.contains($0) })
        #expect(try receiver.unindexedNotes() == 1)
        #expect(try receiver.search("orchard", limit: nil).map(\.id) == [notes[2]])
        let leftovers = try receiver.read { db in
            try String.fetchAll(db, sql: "SELECT text FROM search_backlog")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func aBatchRolledBackLeavesNoBacklog() throws {
        let directories = (source: TemporaryDirectory("source"), receiver: TemporaryDirectory())
        let source = try directories.source.store()
        try source.addNotes([NoteDraft(text: "orchard visit")])
        let receiver = try directories.receiver.store()
        #expect(throws: StoreError.self) {
            try receiver.apply(try allOps(source)) { () throws(StoreError) -> ReceivedProof in
                throw StoreError(.invalidArgument, "refused")
            }
        }
        #expect(try receiver.unindexedNotes() == 0)
        #expect(try receiver.notes(limit: nil).isEmpty)
    }

    @Test func aStoreClosedBeforeIndexingDrainsOnTheNextSearch() throws {
        let received = try Received(12)
        try received.receiver.close()
        let reopened = try received.directories.receiver.store()
        #expect(try reopened.unindexedNotes() == 12)
        #expect(try reopened.search("orchard", limit: nil).count == 12)
        #expect(try reopened.status().isIntact)
    }

    @Test func aStoreBeforeTheBacklogMigratesToIt() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        try store.addNote(text: "orchard before the migration")
        try store.transaction(.full) { db in
            try db.execute(sql: "DROP TABLE search_backlog")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v9 %'")
        }
        try store.close()
        let migrated = try directory.store()
        #expect(try migrated.unindexedNotes() == 0)
        #expect(try migrated.search("orchard").count == 1)
    }
}
