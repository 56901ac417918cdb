import GRDB
import SyncCore

/// Notes whose search index row is still to be written: the notes batches received from a peer
/// leave behind, so that the FTS5 index is built after the batches instead of inside them.
///
/// Why: tokenizing every note and writing its terms into the index's segments was the largest
/// single part of a received batch's transaction, and a first sync is nothing but received
/// batches; written later, in larger transactions, the index costs less and the session no
/// longer waits for it.
///
/// What keeps search right (held by `SearchBacklogTests`):
/// - A live note has either its current fts row or a backlog row, never both, and a note that is
///   not live (binned, purged, not a note) has neither. A received batch removes the fts row of
///   every note it changes and names the note here; a local edit removes the note's backlog row
///   before writing its fts row; `drain` builds the rows of the notes named here into fts.
/// - The backlog row is written in the batch's own transaction: a crash after the batch commits
///   leaves the backlog on disk, drained by the next search. Nothing can leave the index stale
///   for good.
/// - `Store.search` drains the backlog before it queries, so it finds every note received
///   before it began.
/// - The backlog holds refs, never text. A purge deletes the note's backlog row in the purge's
///   transaction, as it deletes the fts row (secure_delete zeroes its pages), so erased words
///   stay nowhere.
enum SearchBacklog {
    /// Notes per transaction when draining: a concurrent sync waits at most for one of these.
    static let drainChunk = 10_000

    /// Leaves the notes to be indexed later. None may be in the backlog already (`forget` first).
    static func record(_ refs: [Int64], _ db: Database) throws {
        try insert.insert(refs, db) { statement, ref in statement.bind(ref) }
    }

    private static let insert = ChunkedInsert(table: "search_backlog", columns: ["ref"], chunk: 128)

    /// Forgets the note's pending row, if any: the caller writes (or removes) its fts row itself.
    static func forget(ref: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM search_backlog WHERE ref = ?").execute(arguments: [ref])
    }

    /// Indexes up to `limit` notes, lowest refs first, and removes them from the backlog.
    /// Returns how many moved.
    ///
    /// Each note's row is built from what the store holds for it now — the visible text of its
    /// stored text state, its tags and its live fields — exactly as `SearchIndex.Columns` builds
    /// it from the note's state (`SearchBacklogTests` compares them): three queries per chunk,
    /// not a state loaded per note, which took four times as long. A note that is no longer
    /// live (the backlog never holds one) gets no row.
    ///
    /// Why not keep the columns in the backlog, as it first did: a received batch then wrote
    /// every note's text twice (its text state and the backlog), and the sync waited for the
    /// second copy; built here, the text is read once more after the sync instead (BENCHMARKS.md,
    /// "Receiving a first sync, and round trips"), and no second copy of a received note's text is ever written.
    static func drain(limit: Int, _ db: Database) throws -> Int {
        guard let last = try Int64.fetchOne(db, sql: """
            SELECT max(ref) FROM (SELECT ref FROM search_backlog ORDER BY ref LIMIT ?)
            """, arguments: [limit]) else { return 0 }
        // CROSS JOIN keeps SQLite to the backlog's order, one index search per note: left to
        // choose, it scanned every tag and every note of the store for each chunk.
        var tags: [Int64: [String]] = [:]
        var tagRows = try BoundStatement(db, sql: """
            SELECT s.entity, s.element FROM search_backlog b CROSS JOIN set_elements s ON s.entity = b.ref AND s.set_name = 'tags'
            WHERE b.ref <= ?
            """)
        tagRows.bind(last)
        while try tagRows.nextRow() {
            // One row per addition (dot), in key order: an element added twice comes twice in a row.
            let element = tagRows.text(at: 1)
            let ref = tagRows.int64(at: 0)
            if tags[ref]?.last != element { tags[ref, default: []].append(element) }
        }
        var fields: [Int64: [(key: String, value: FieldValue)]] = [:]
        var fieldRows = try BoundStatement(db, sql: """
            SELECT f.entity, f.key, f.type, f.value FROM search_backlog b CROSS JOIN fields f ON f.entity = b.ref WHERE b.ref <= ?
            """)
        fieldRows.bind(last)
        while try fieldRows.nextRow() {
            let value = try FieldColumns.value(type: fieldRows.int64(at: 2), of: fieldRows, at: 3)
            if value != .null { fields[fieldRows.int64(at: 0), default: []].append((fieldRows.text(at: 1), value)) }
        }
        var insert = try BoundStatement(db, sql: "INSERT INTO fts (rowid, text, tags, fields) VALUES (?, ?, ?, ?)")
        var notes = try BoundStatement(db, sql: """
            SELECT b.ref, t.state FROM search_backlog b CROSS JOIN entities e ON e.ref = b.ref LEFT JOIN note_text t ON t.entity = b.ref
            WHERE b.ref <= ? AND e.kind = \(EntityKind.note.rawValue) AND e.deleted = 0 AND e.purged = 0
            """)
        notes.bind(last)
        while try notes.nextRow() {
            let ref = notes.int64(at: 0)
            let text = try notes.withBlob(at: 1) { raw in
                do { return raw.isEmpty ? "" : try TextSequence.visibleText(serialized: [UInt8](raw)) } catch {
                    throw StoreError(.corrupt, "the stored text of note \(ref) cannot be read: \(error)")
                }
            }
            try SearchIndex.Columns(text: text, tags: tags[ref] ?? [], fields: fields[ref] ?? []).insert(ref: ref, into: &insert)
        }
        try db.execute(sql: "DELETE FROM search_backlog WHERE ref <= ?", arguments: [last])
        return db.changesCount
    }

    static func isEmpty(_ db: Database) throws -> Bool {
        try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM search_backlog)") ?? false)
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM search_backlog") ?? 0
    }
}

extension Store {
    /// Brings the search index up to date with every note received so far, in transactions of
    /// `SearchBacklog.drainChunk` notes. Returns how many notes it indexed. `search` calls it
    /// first; a client may call it after a sync, so that the first search finds nothing to do.
    ///
    /// Committed with `synchronous=NORMAL` (`Durability.resendable`): a transaction lost to a power
    /// cut leaves its rows in the backlog, where they were, and the next drain moves them again.
    @discardableResult
    public func updateSearchIndex() throws(StoreError) -> Int {
        guard try !read(SearchBacklog.isEmpty) else { return 0 }
        var indexed = 0
        while true {
            let moved = try storeErrors {
                try transaction(.resendable) { db in try SearchBacklog.drain(limit: SearchBacklog.drainChunk, db) }
            }
            indexed += moved
            if moved == 0 { return indexed }
        }
    }

    /// Notes received from peers that search would not find yet (0 after `updateSearchIndex`).
    public func unindexedNotes() throws(StoreError) -> Int {
        try read { db in try SearchBacklog.count(db) }
    }
}
