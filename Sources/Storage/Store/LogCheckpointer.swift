import Foundation
import GRDB
import GRDBSQLite

/// Copies the write-ahead log into the database on a thread of its own, with a connection of
/// its own, while batches received from a peer commit: the receiving thread, which a sync waits
/// for, no longer stops every few batches to do it.
///
/// Why: a checkpoint on the writer's connection (SQLite's automatic one, after the commit that
/// takes the log past its threshold) was 8 % of the receiving thread in a 100,000-note first
/// sync, copying pages and syncing the database file while the next batch waited. A PASSIVE
/// checkpoint runs beside the writer: it copies the frames committed before it began, waits for
/// nobody, and may stop short where a reader still needs a frame. Page lookups in the log
/// search only frames not yet copied, so the log stays cheap to read although the writer never
/// copies it; the writer starts the log over once a checkpoint has copied all of it.
///
/// Durability is the same as SQLite's own checkpoint: the log is synced before its frames are
/// copied and the database after (`synchronous` is NORMAL on this connection, which syncs at
/// every checkpoint).
///
/// Sendable: `connection`, `requested`, `stopped` and `running` are only touched with
/// `condition` locked, except that the checkpointing thread uses `connection` unlocked between
/// taking a request and its next wait, and `stop` closes it only after that thread has ended.
final class LogCheckpointer: @unchecked Sendable {
    private let path: String
    /// Pages of log past which a commit asks for a checkpoint beside the writer.
    let pages: Int32
    /// Pages of log past which the writer checkpoints itself, as SQLite's automatic checkpoint
    /// would: the log restarts only when a transaction begins with all of it copied, which
    /// checkpoints beside a writer that never pauses rarely achieve, so without this it grew to
    /// 100 MB in a 100,000-note first sync. By then they have copied most of it, and the writer
    /// copies the rest.
    let writerPages: Int32
    private let condition = NSCondition()
    private var connection: OpaquePointer?
    private var requested = false
    private var stopped = false
    private var running = false

    /// The defaults: 16 MB of log before a checkpoint beside the writer, 32 MB (as SQLite's
    /// automatic checkpoint was set for received batches) before the writer's own.
    init(path: String, pages: Int32 = 4_096, writerPages: Int32 = Int32(Store.resendableCheckpointPages)) {
        self.path = path
        self.pages = pages
        self.writerPages = writerPages
    }

    /// Asks for a checkpoint soon, opening the connection and starting the thread on the first
    /// request. Cheap: the writer calls it after a commit.
    func request() {
        condition.withLock {
            guard !stopped else { return }
            requested = true
            if !running, open() {
                running = true
                let thread = Thread { [self] in loop() }
                thread.name = "fieldnote.store.checkpoint"
                thread.stackSize = 256 << 10
                thread.start()
            }
            condition.broadcast()
        }
    }

    /// Ends the thread after the checkpoint in progress, if any, and closes the connection.
    /// Requests after this are ignored.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            while running { condition.wait() }
            if let connection { sqlite3_close_v2(connection) }
            connection = nil
        }
    }

    deinit { stop() }

    /// Called with `condition` locked.
    private func open() -> Bool {
        if connection != nil { return true }
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let handle else {
            sqlite3_close_v2(handle)
            return false
        }
        sqlite3_exec(handle, "PRAGMA synchronous = NORMAL", nil, nil, nil)
        connection = handle
        return true
    }

    private func loop() {
        while true {
            let connection: OpaquePointer? = condition.withLock {
                while !requested && !stopped { condition.wait() }
                guard !stopped else {
                    running = false
                    condition.broadcast()
                    return nil
                }
                requested = false
                return self.connection
            }
            guard let connection else { return }
            // Busy (another checkpoint runs) or failed: the log is copied by a later one.
            _ = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }
    }
}

extension LogCheckpointer {
    /// Installs on `db` (the writer, for one received batch's transaction) a commit hook in place
    /// of SQLite's automatic checkpoint: past `pages` pages of log it asks `self` for a
    /// checkpoint; past `writerPages`, the writer checkpoints. `PRAGMA wal_autocheckpoint` puts
    /// SQLite's hook back. `self` must outlive the hook.
    func takeCheckpoints(of db: Database) {
        guard let connection = db.sqliteConnection else { return }
        sqlite3_wal_hook(connection, { context, connection, name, pages in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<LogCheckpointer>.fromOpaque(context).takeUnretainedValue()
            if pages >= checkpointer.writerPages {
                // Busy while the checkpoint beside it runs: the next commit tries again.
                _ = sqlite3_wal_checkpoint_v2(connection, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if pages >= checkpointer.pages {
                checkpointer.request()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }
}
