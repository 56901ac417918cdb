import GRDB

/// How far a write transaction's commit is synced to disk before the method returns.
enum Durability {
    /// `synchronous=FULL`: the commit is on disk, across a power cut, when the method returns.
    /// Every local edit: nobody else holds what a worker just wrote.
    case full
    /// `synchronous=NORMAL`: the commit reaches the write-ahead log, which is synced at the next
    /// checkpoint or at the next `.full` commit. For what can be written again: batches received
    /// from a peer, and moving the search backlog into the index.
    ///
    /// Why this is safe (SECURITY.md, "A power cut or a crash"): a power cut can lose only the
    /// last such transactions, whole, never part of one and never one that a later `.full` commit
    /// followed (the log is appended in order, and that commit syncs everything before it); the
    /// store stays consistent, since WAL replays only complete transactions. A lost batch took
    /// its version vector entries, chain heads and backlog rows with it, so the next sync's HELLO
    /// asks the peer for the same ops again; a lost drain leaves its rows in the backlog.
    case resendable
}

extension Store {
    /// SQLite's automatic checkpoint threshold (its default), in pages of the write-ahead log.
    static let checkpointPages = 1_000

    /// The most log received batches let grow: 32 MB. A received batch of 8,000 ops writes
    /// more than SQLite's default of log, so every batch ended in a checkpoint on the receiving
    /// thread, copying again the pages every batch changes (the indexes' inner and last pages,
    /// the op log's end) and syncing the database file. Fewer, larger checkpoints copy those once
    /// (bytes written in a 30k-note initial sync, filling the source included: 9 % fewer). Most
    /// of the copying is now done beside the writer (`LogCheckpointer`), from half this size.
    /// The terminal client restarts the log after every command that wrote (`restartLog`), so
    /// no later process reads a long one.
    static let resendableCheckpointPages = 8_192

    /// Runs `body` in one immediate write transaction committed as `durability` says.
    ///
    /// SQLite refuses to change `synchronous` inside a transaction, so the writer connection is
    /// set to NORMAL before BEGIN and back to FULL after COMMIT or ROLLBACK, on every path out:
    /// the next local edit, on the same connection, must find FULL again. Received batches leave
    /// checkpoints to `checkpointer` (its hook replaces SQLite's automatic checkpoint until
    /// `wal_autocheckpoint` is set again, after the transaction).
    func transaction<T>(_ durability: Durability, _ body: (Database) throws -> T) throws -> T {
        guard case .resendable = durability else { return try pool.write(body) }
        return try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            checkpointer.takeCheckpoints(of: db)
            let outcome = Result { () throws -> T in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
            // Not in a defer with try?: a connection left at NORMAL would commit local edits so.
            try db.execute(sql: "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = \(Self.checkpointPages)")
            return try outcome.get()
        }
    }
}
