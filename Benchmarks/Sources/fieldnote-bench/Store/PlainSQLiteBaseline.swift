import Foundation
import GRDB
import Storage
import SyncCore

/// The same notes inserted into plain SQLite tables: what an app with no CRDT bookkeeping pays.
///
/// Fair to the store in everything but the bookkeeping:
/// - the system SQLite through GRDB, prepared statements reused across rows (`cachedStatement`);
/// - WAL, `synchronous=FULL`, `secure_delete=ON`, foreign keys on, as the store's connections;
/// - one transaction per batch of the same size as the store's `addNotes` batches;
/// - tables and indexes that serve the same queries: notes (16-byte id, text, created) with
///   an index for "newest first", fields (note, key, value), tags (note, tag) with a tag index,
///   and an FTS5 table over the same columns the store indexes (text, tags, field values),
///   because a note store nobody can search is not the same product. `withSearch: false` drops
///   the FTS5 table, for a second, stricter figure.
///
/// Not in it: the op log, version vectors, per-register stamps, set dots and the text CRDT state.
struct PlainSQLiteBaseline {
    let path: String
    let withSearch: Bool

    /// Inserts `batches` (one transaction each) and returns the elapsed seconds.
    func run(_ batches: [[NoteDraft]]) throws -> Double {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE notes (
                    ref INTEGER PRIMARY KEY,
                    id BLOB NOT NULL UNIQUE,
                    text TEXT NOT NULL,
                    created INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX notes_by_created ON notes (created);
                CREATE TABLE fields (
                    note INTEGER NOT NULL REFERENCES notes(ref),
                    key TEXT NOT NULL,
                    value ANY,
                    PRIMARY KEY (note, key)
                ) STRICT, WITHOUT ROWID;
                CREATE TABLE tags (
                    note INTEGER NOT NULL REFERENCES notes(ref),
                    tag TEXT NOT NULL,
                    PRIMARY KEY (note, tag)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX tags_by_tag ON tags (tag);
                """)
            if withSearch {
                try db.execute(sql: "CREATE VIRTUAL TABLE fts USING fts5 (text, tags, fields, tokenize = 'unicode61 remove_diacritics 2')")
            }
        }
        var millis = Int64(Date().timeIntervalSince1970 * 1000)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for batch in batches {
                try queue.write { db in
                    let insertNote = try db.cachedStatement(sql: "INSERT INTO notes (id, text, created) VALUES (?, ?, ?)")
                    let insertField = try db.cachedStatement(sql: "INSERT INTO fields (note, key, value) VALUES (?, ?, ?)")
                    let insertTag = try db.cachedStatement(sql: "INSERT INTO tags (note, tag) VALUES (?, ?)")
                    let insertSearch = withSearch
                        ? try db.cachedStatement(sql: "INSERT INTO fts (rowid, text, tags, fields) VALUES (?, ?, ?, ?)") : nil
                    for draft in batch {
                        millis += 1
                        let id = EntityID.make(millis: UInt64(millis))
                        try insertNote.execute(arguments: [Data(id.bytes), draft.text, millis])
                        let ref = db.lastInsertedRowID
                        let keys = draft.fields.keys.sorted()
                        for key in keys {
                            let value: (any DatabaseValueConvertible)? = switch draft.fields[key]! {
                            case .null: nil
                            case .bool(let flag): flag
                            case .int(let number): number
                            case .double(let number): number
                            case .string(let text): text
                            }
                            try insertField.execute(arguments: [ref, key, value])
                        }
                        for tag in draft.tags { try insertTag.execute(arguments: [ref, tag]) }
                        if let insertSearch {
                            let fields = keys.map { "\($0) \(draft.fields[$0]!)" }.joined(separator: " ; ")
                            try insertSearch.execute(arguments: [ref, draft.text, draft.tags.joined(separator: " "), fields])
                        }
                    }
                }
            }
        }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
