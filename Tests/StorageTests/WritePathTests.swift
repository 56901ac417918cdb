import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

@Suite("The write path")
struct WritePathTests {
    /// Rows written in chunks (full ones and a remainder) arrive whole and in order, with their
    /// texts and blobs staged in the statement's buffer: empty ones stay empty, not NULL.
    @Test(arguments: [1, 3, 7, 8, 23])
    func chunkedInsertWritesEveryRow(count: Int) throws {
        func text(_ index: Int) -> String? { index % 3 == 0 ? "row \(index) ✓" : index % 3 == 1 ? "" : nil }
        func blob(_ index: Int) -> Data { index % 4 == 1 ? Data() : Data([UInt8(index), 0, 255]) }
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (a INTEGER NOT NULL, b TEXT, c BLOB, d BLOB)")
            let insert = ChunkedInsert(table: "t", columns: ["a", "b", "c", "d"], chunk: 4)
            try insert.insert(0..<count, db) { statement, index in
                statement.bind(Int64(index))
                if let text = text(index) { statement.bind(text) } else { statement.bindNull() }
                statement.bind(blob(index))
                statement.bind(high: UInt64(index), low: ~UInt64(index))
            }
            try insert.insert(0..<0, db) { _, _ in Issue.record("a row bound where there is none") }
            let stored = try Row.fetchAll(db, sql: "SELECT a, b, c, typeof(c), d FROM t ORDER BY rowid")
            #expect(stored.count == count)
            for (index, row) in stored.enumerated() {
                #expect(row[0] as Int64 == Int64(index))
                #expect(row[1] as String? == text(index))
                #expect(row[2] as Data == blob(index) && row[3] as String == "blob")
                #expect(row[4] as Data == Data(withUnsafeBytes(of: (UInt64(index).bigEndian, (~UInt64(index)).bigEndian)) { Array($0) }))
            }
        }
    }

    /// Notes added in bulk read back exactly as drafted, and the search index holds them all.
    @Test func bulkAddedNotesReadBack() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let drafts = (0..<75).map { index in
            NoteDraft(text: "Bulk note \(index): supervision cancelled, caseload \(20 + index % 10).",
                      tags: ["bulk", "n\(index % 5)"],
                      fields: ["caseload": .int(Int64(20 + index % 10)), "hours_worked": .double(40.5), "supervision": .string("cancelled")])
        }
        let ids = try store.addNotes(drafts)
        #expect(ids.count == drafts.count && Set(ids).count == drafts.count)
        for (id, draft) in zip(ids, drafts) {
            let record = try store.note(id)
            #expect(record.text == draft.text)
            #expect(record.tags == draft.tags.sorted())
            #expect(record.fields == draft.fields)
        }
        #expect(try store.search("bulk", limit: 100).count == drafts.count)
        #expect(try store.notes(tag: "n3", limit: nil).count == 15)
        #expect(try store.status().spaces.first?.ops == drafts.count * 7)
        #expect(try allOps(store).count == drafts.count * 7)
    }

    /// Opening a store and adding a note touches rows through keys and indexes only: no
    /// statement of the write path scans a table that grows with the notes.
    @Test func writePathUsesNoFullScans() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        try store.addNote(text: "first", tags: ["a"], fields: ["caseload": .int(3)])
        let statements: [(String, StatementArguments)] = [
            ("SELECT value FROM settings WHERE key = ?", ["replica_id"]),
            ("SELECT identifier FROM grdb_migrations", []),
            ("SELECT space, seq FROM versions WHERE replica = ?", [Data(count: 16)]),
            ("SELECT replica, seq FROM versions WHERE space = ?", ["team"]),
            ("SELECT ref FROM entities WHERE id = ?", [Data(count: 16)]),
            ("INSERT INTO entities (id, space, kind) VALUES (?, 'team', 1)", [Data(count: 16)]),
            ("INSERT INTO fields (entity, key, type, value, stamp_ms, stamp_counter, stamp_replica) VALUES (1, 'k', 2, 1, 0, 0, x'00')", []),
            ("INSERT INTO set_elements (entity, set_name, element, dot_replica, dot_seq) VALUES (1, 'tags', 'a', x'00', 9)", []),
            ("INSERT INTO ops (space, replica, seq, last_seq, hlc_ms, hlc_counter, entity, kind, payload) VALUES ('team', x'00', 1, 1, 0, 0, 1, 1, x'00')", []),
            ("INSERT OR REPLACE INTO note_text (entity, state) VALUES (1, x'00')", []),
            ("INSERT OR REPLACE INTO versions (space, replica, seq) VALUES ('team', x'00', 1)", []),
            ("INSERT OR REPLACE INTO settings (key, value) VALUES ('hlc_millis', 1)", []),
            ("SELECT e.id FROM fields f JOIN entities e ON e.ref = f.entity WHERE f.key = 'token' AND f.value = ? AND e.kind = 2 AND e.purged = 0", ["C-7K2Q-9XDM"]),
        ]
        try store.read { db in
            for (sql, arguments) in statements {
                let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                    .map { $0["detail"] as String }
                // "SCAN versions" is a scan of a table of spaces × replicas, not of notes.
                let scans = plan.filter { $0.hasPrefix("SCAN") && !$0.hasPrefix("SCAN versions") && !$0.contains("grdb_migrations") }
                #expect(scans.isEmpty, "\(sql): \(plan)")
            }
        }
    }
}
