import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

/// Multi-row inserts run without statement journals (`INSERT OR FAIL`, foreign keys to
/// `entities` checked at commit): what a failed statement leaves must still never outlive its
/// transaction, and a row without its entity must still be refused.
@Suite("Rows checked at commit")
struct DeferredReferencesTests {
    /// The tables whose foreign key to `entities` v13 defers.
    static let tables = ["fields", "note_text", "register_siblings", "set_elements"]

    /// A conflict in the third row of a chunk stops the statement there, keeping its first two
    /// rows (`OR FAIL`: no journal to undo them), and the transaction around it then keeps none.
    @Test func aFailedChunkKeepsNothingOnceItsTransactionRollsBack() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (a INTEGER PRIMARY KEY)") }
        let insert = ChunkedInsert(table: "t", columns: ["a"], chunk: 4)
        // Chunks [0 1 2 3] [4 5 1 7] [8 9]: the second stops at its third row.
        let rows: [Int64] = [0, 1, 2, 3, 4, 5, 1, 7, 8, 9]
        var keptBeforeRollback: [Int64] = []
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                do {
                    try insert.insert(rows, db) { statement, value in statement.bind(value) }
                } catch {
                    keptBeforeRollback = try Int64.fetchAll(db, sql: "SELECT a FROM t ORDER BY a")
                    throw error
                }
            }
        }
        #expect(keptBeforeRollback == [0, 1, 2, 3, 4, 5])
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 0)
    }

    /// A field row naming an entity the store does not have is refused at commit, through the
    /// write path's own insert, and the store keeps nothing of that transaction.
    @Test(arguments: [false, true])
    func aRowWithoutItsEntityIsRefusedAtCommit(received: Bool) throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let note = try store.addNote(text: "kept", tags: ["a"], fields: ["caseload": .int(3)])
        let before = try Self.rows(store)
        let entry = FieldRegister.Entry(value: .int(1), stamp: Stamp(timestamp: Timestamp(millis: 1, counter: 0), replica: store.replica), seq: 1)
        #expect(throws: DatabaseError.self) {
            try store.transaction(received ? .resendable : .full) { db in
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('written', 1)")
                try FieldColumns.fieldInsert.insert([FieldColumns.FieldRow(entity: 999_999, key: "orphan", entry: entry)], db) { statement, row in
                    statement.bind(row.entity)
                    statement.bind(row.key)
                    FieldColumns.bind(row.entry.value, to: &statement)
                    statement.bind(Int64(1)); statement.bind(Int64(0))
                    statement.bind(high: 0, low: 0)
                    statement.bind(Int64(1))
                }
            }
        }
        #expect(try Self.rows(store) == before)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM settings WHERE key = 'written'") } == 0)
        #expect(try store.note(note).fields == ["caseload": .int(3)])
        // The connection is usable, and checks, afterwards.
        try store.addNote(text: "after", fields: ["caseload": .int(4)])
        #expect(try store.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    }

    /// A store made before v13 (its references checked per statement) keeps every row and index
    /// through the rebuild, and its notes read back the same.
    @Test func aStoreWithImmediateReferencesMigrates() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        var notes: [EntityID] = []
        for index in 0..<20 {
            notes.append(try store.addNote(text: "note \(index) in the rebuild", tags: ["t\(index % 3)"],
                                           fields: ["caseload": .int(Int64(index))]))
        }
        let records = try notes.map { try store.note($0) }
        // Concurrent writes of one field leave a register sibling behind.
        let otherDirectory = TemporaryDirectory("other")
        let other = try otherDirectory.store()
        try other.apply(try allOps(store))
        try store.setField(note: notes[0], key: "caseload", value: .int(100))
        try other.setField(note: notes[0], key: "caseload", value: .int(200))
        try store.apply(try allOps(other))
        let rows = try Self.rows(store)
        #expect(rows["register_siblings"]?.isEmpty == false)
        let indexes = try Self.indexes(store)
        try store.transaction(.full) { db in
            // Back to the pre-v13 tables: the same, with references checked per statement.
            for table in Self.tables {
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table])!
                #expect(sql.contains("DEFERRABLE INITIALLY DEFERRED"))
                let old = sql.replacingOccurrences(of: " DEFERRABLE INITIALLY DEFERRED", with: "")
                    .replacingOccurrences(of: "CREATE TABLE \"\(table)\"", with: "CREATE TABLE old_\(table)")
                    .replacingOccurrences(of: "CREATE TABLE \(table)", with: "CREATE TABLE old_\(table)")
                try db.execute(sql: old)
                try db.execute(sql: "INSERT INTO old_\(table) SELECT * FROM \(table); DROP TABLE \(table); ALTER TABLE old_\(table) RENAME TO \(table)")
            }
            for sql in indexes { try db.execute(sql: sql) }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v13 %'")
        }
        #expect(try Self.definitions(store).allSatisfy { !$0.contains("DEFERRABLE") })
        try store.close()

        let migrated = try directory.store()
        #expect(try Self.definitions(migrated).allSatisfy { $0.contains("REFERENCES entities(ref) DEFERRABLE INITIALLY DEFERRED") })
        #expect(try Self.rows(migrated) == rows)
        #expect(try Self.indexes(migrated) == indexes)
        #expect(try notes.map { try migrated.note($0) }.dropFirst() == records.dropFirst())
        #expect(try migrated.notes(tag: "t1", limit: nil).count == 7)
    }

    /// Every row of the four tables, as text, by table.
    private static func rows(_ store: Store) throws -> [String: [String]] {
        try store.read { db in
            var rows: [String: [String]] = [:]
            for table in tables {
                rows[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map(\.description)
            }
            return rows
        }
    }

    private static func definitions(_ store: Store) throws -> [String] {
        try store.read { db in
            try tables.map { try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [$0])! }
        }
    }

    /// The statements of the tables' own indexes (not SQLite's automatic ones), by name.
    private static func indexes(_ store: Store) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                AND tbl_name IN ('fields', 'note_text', 'register_siblings', 'set_elements') ORDER BY name
                """)
        }
    }
}
