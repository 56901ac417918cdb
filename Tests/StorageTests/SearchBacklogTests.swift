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
            try Int64.fetchAll(db, sql: "SELECT ref FROM search_backlog")
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

    /// The drain builds each note's row from its stored columns; those rows must be the ones
    /// `SearchIndex.Columns` builds from the note's state: text with deleted characters, a tag
    /// added on two devices (two dots), tags in an order bytes and Swift sort alike, number and
    /// text fields, a cleared field, a binned note, a note with no text, a case reference.
    @Test func theDrainBuildsEachNotesRowAsItsStateWould() throws {
        let directories = (a: TemporaryDirectory("a"), b: TemporaryDirectory("b"), receiver: TemporaryDirectory())
        let a = try directories.a.store()
        let note = try a.addNote(text: "Supervision cancelled twice 🧒 this month", tags: ["Zebra", "apple", "éclair"],
                                 fields: ["caseload": .int(22), "hours_worked": .double(41.5), "incident": .string("duty — late"), "supervision": .string("cancelled")])
        _ = try a.editText(note: note, newText: "Supervision cancelled 🧒 this month")
        try a.setField(note: note, key: "supervision", value: nil)
        let binned = try a.addNote(text: "binned orchard note", tags: ["visits"])
        try a.delete(note: binned)
        _ = try a.addNote(text: "", tags: ["empty"], fields: ["caseload": .int(0)])
        _ = try a.addNote(text: "a note on a case", caseToken: try a.addCase(alias: "the Smiths"))
        let b = try directories.b.store()
        try b.apply(try allOps(a))
        _ = try b.tag(note: note, add: ["apple", "visits"])
        let receiver = try directories.receiver.store()
        try receiver.apply(try allOps(a))
        try receiver.apply(try allOps(b))
        #expect(try receiver.unindexedNotes() == 3)
        #expect(try receiver.updateSearchIndex() == 3)
        try receiver.read { db in
            let stored = try Row.fetchAll(db, sql: "SELECT rowid, text, tags, fields FROM fts")
            var drained: [Int64: [String]] = [:]
            for row in stored { drained[row[0]] = [row[1], row[2], row[3]] }
            var expected: [Int64: [String]] = [:]
            for id in try Data.fetchAll(db, sql: "SELECT id FROM entities") {
                guard let id = EntityID(bytes: id), let (ref, state) = try EntityRows.load(id, db) else { continue }
                if let columns = SearchIndex.Columns(state) { expected[ref] = [columns.text, columns.tags, columns.fields] }
            }
            #expect(drained == expected)
            #expect(drained.values.contains(["Supervision cancelled 🧒 this month", "Zebra apple visits éclair", "caseload 22 ; hours_worked 41.5 ; incident duty — late"]))
        }
    }

    /// A store whose backlog still held each note's columns (schema v10) keeps its notes waiting
    /// when the backlog becomes a list of refs, and they are found by the next search.
    @Test func aBacklogOfColumnsMigratesToOneOfRefs() throws {
        let received = try Received(4)
        let directory = received.directories.receiver
        try received.receiver.transaction(.full) { db in
            try db.execute(sql: """
                CREATE TABLE old_backlog (ref INTEGER PRIMARY KEY, text TEXT NOT NULL, tags TEXT NOT NULL, fields TEXT NOT NULL) STRICT;
                INSERT INTO old_backlog SELECT ref, 'stale', '', '' FROM search_backlog;
                DROP TABLE search_backlog;
                ALTER TABLE old_backlog RENAME TO search_backlog;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v11 %';
                """)
        }
        try received.receiver.close()
        let migrated = try directory.store()
        #expect(try migrated.unindexedNotes() == 4)
        #expect(try migrated.search("orchard", limit: nil).count == 4)
        #expect(try migrated.search("stale", limit: nil).isEmpty)
        let columns = try migrated.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(search_backlog)").map { $0["name"] as String } }
        #expect(columns == ["ref"])
    }

    @Test func aStoreBeforeTheBacklogMigratesToIt() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        try store.addNote(text: "orchard before the migration")
        try store.transaction(.full) { db in
            try db.execute(sql: "DROP TABLE search_backlog")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v9 %' OR identifier LIKE 'v11 %'")
        }
        try store.close()
        let migrated = try directory.store()
        #expect(try migrated.unindexedNotes() == 0)
        #expect(try migrated.search("orchard").count == 1)
    }
}
