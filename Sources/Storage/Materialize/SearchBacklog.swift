import GRDB
import SyncCore

/// Notes whose search index row is still to be written: the rows batches received from a peer
/// leave behind, so that the FTS5 index is built after the batches instead of inside them.
///
/// Why: tokenizing every note and writing its terms into the index's segments was the largest
/// single part of a received batch's transaction, and a first sync is nothing but received
/// batches; written later, in larger transactions, the index costs less and the session no
/// longer waits for it.
///
/// What keeps search right (held by `SearchBacklogTests`):
/// - A live note has either its current fts row or its current backlog row, never both, and a
///   note that is not live (binned, purged, not a note) has neither. A received batch removes the
///   fts row of every note it changes and leaves the new columns here; a local edit removes the
///   note's backlog row before writing its fts row; `drain` moves rows from here to fts.
/// - The backlog row is written in the batch's own transaction: a crash after the batch commits
///   leaves the backlog on disk, drained by the next search. Nothing can leave the index stale
///   for good.
/// - `Store.search` drains the backlog before it queries, so it finds every note received
///   before it began.
/// - A purge deletes the note's backlog row in the purge's transaction (secure_delete zeroes it),
///   as it deletes the fts row, so erased words stay nowhere.
enum SearchBacklog {
    /// Notes per transaction when draining: a concurrent sync waits at most for one of these.
    static let drainChunk = 10_000

    /// Leaves the note's columns to be indexed later, replacing any earlier version.
    static func record(ref: Int64, _ columns: SearchIndex.Columns, _ db: Database) throws {
        try columns.insert(ref: ref, "INSERT OR REPLACE INTO search_backlog (ref, text, tags, fields) VALUES (?, ?, ?, ?)", db)
    }

    /// Forgets the note's pending row, if any: the caller writes (or removes) its fts row itself.
    static func forget(ref: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM search_backlog WHERE ref = ?").execute(arguments: [ref])
    }

    /// Moves up to `limit` rows, lowest refs first, into fts. Returns how many moved.
    static func drain(limit: Int, _ db: Database) throws -> Int {
        guard let last = try Int64.fetchOne(db, sql: """
            SELECT max(ref) FROM (SELECT ref FROM search_backlog ORDER BY ref LIMIT ?)
            """, arguments: [limit]) else { return 0 }
        try db.execute(sql: """
            INSERT INTO fts (rowid, text, tags, fields) SELECT ref, text, tags, fields FROM search_backlog WHERE ref <= ?;
            DELETE FROM search_backlog WHERE ref <= ?;
            """, arguments: [last, last])
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
