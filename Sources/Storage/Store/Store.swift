import Foundation
import GRDB
import SyncCore

/// One replica's store on disk: a directory holding one SQLite database.
///
/// Every public method is one SQLite transaction: a command either happens wholly, and is on disk
/// (`synchronous=FULL`) when the method returns, or not at all. Batches received from a peer
/// are the exception to "on disk" (`Durability.resendable`): the peer sends them again. A `Store` may be shared between
/// threads; writes are serialised by GRDB's `DatabasePool`, reads run concurrently beside them.
///
/// ```swift
/// let store = try Store(location: .resolve(explicit: nil))
/// if store.wasCreated { print("created store at \(store.location.directory.path)") }
/// let id = try store.addNote(text: "Caseload 31 today", tags: ["caseload"], fields: ["caseload": .int(31)])
/// ```
public final class Store: Sendable {
    public let location: StoreLocation
    /// This store's replica id: generated on first open, then read from the `settings` table.
    public let replica: ReplicaID
    /// Whether this open created the store (the client then says "created store at …").
    public let wasCreated: Bool

    let pool: DatabasePool
    /// Copies the log into the database beside the writer while received batches commit.
    let checkpointer: LogCheckpointer
    /// Wall time in Unix milliseconds. Injectable so tests can run a clock that is ahead or behind.
    public let wallClock: @Sendable () -> UInt64

    /// Opens the store at `location`, creating the directory (0700) and database (0600) if needed.
    ///
    /// A new store takes `newReplica` as its replica id. A device that syncs passes the id its
    /// key speaks for (`DeviceIdentity.replica`), because peers accept a replica's ops only under
    /// its author's signature (Protocol.md 2.8); without one the store gets a random id, which
    /// can write and read but whose ops no peer will accept.
    public init(
        location: StoreLocation,
        newReplica: ReplicaID? = nil,
        wallClock: @escaping @Sendable () -> UInt64 = Store.systemMillis
    ) throws(StoreError) {
        self.location = location
        self.wallClock = wallClock
        _ = SQLiteLibrary.configured
        try StoreFiles.prepareDirectory(location.directory)
        try StoreFiles.prepareDatabaseFile(location.databaseURL)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "fieldnote.store"
        configuration.prepareDatabase { db in
            // FULL: a note is on disk when the command returns, even across power loss.
            // secure_delete: freed cells and pages are zeroed, which purge relies on.
            // cache_size: 16 MB a connection, allocated only as pages are read. With SQLite's
            // default 2 MB, ranking a common word on a 100k-note store (its doclists, the
            // docsize rows) re-read pages from the OS on every search.
            // temp_store: statement journals (the old content of each page a multi-row insert
            // changes, kept so that statement alone can be undone) stay in memory. In a temporary
            // file they put copies of notes outside the store's private directory, and they were
            // 385,000 of the 500,000 write calls of a 100k-note sync.
            // page_size: 16 KB pages for a new store (an existing one keeps its own). A received
            // batch inserts about fifteen index entries per note into a dozen B-trees; larger
            // pages split and rebalance a quarter as often, and the log writes a quarter as many
            // frames. In alternating 100k-note first syncs 8 KB pages beat SQLite's 4 KB, and 16 KB
            // beat 8 KB, in every pair; a bulk import was 14 % faster, for 11 % more disk
            // (BENCHMARKS.md).
            try db.execute(sql: """
                PRAGMA page_size = 16384; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;
                PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY
                """)
            try SearchRanking.register(db)
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: location.databaseURL.path, configuration: configuration)
        } catch {
            throw StoreError(.cannotOpen, "cannot open the store database at \(location.databaseURL.path): \(StoreError.wrapping(error).message)")
        }
        self.pool = pool
        self.checkpointer = LogCheckpointer(path: location.databaseURL.path)
        let (replica, created) = try storeErrors {
            // GRDB sets synchronous=NORMAL on the writer when it turns WAL on, after
            // prepareDatabase has run; the writer is the connection that commits, so set FULL here.
            // (prepareDatabase also gave it a 16 MB page cache: a batch of 1000 notes dirties about
            // SQLite's default 2 MB, past which dirty pages spill into the log before commit.)
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Migrations.migrator.migrate(pool)
            return try pool.write { db in try Settings.loadOrCreateIdentity(db, newReplica: newReplica) }
        }
        self.replica = replica
        self.wasCreated = created
        StoreFiles.restrictFiles(of: location.databaseURL)
    }

    /// Opens the store in `directory`.
    public convenience init(directory: URL, newReplica: ReplicaID? = nil) throws(StoreError) {
        try self.init(location: StoreLocation(directory: directory), newReplica: newReplica)
    }

    /// Closes the database connections. Using the store afterwards throws.
    public func close() throws(StoreError) {
        checkpointer.stop()
        try storeErrors { try pool.close() }
    }

    deinit { checkpointer.stop() }

    /// The system clock in Unix milliseconds.
    public static let systemMillis: @Sendable () -> UInt64 = {
        UInt64(max(0, (Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    // MARK: Transactions

    /// Runs `body` in one write transaction, with a session that caches entity states and
    /// flushes everything (op log, materialised rows, vectors, clock) before commit.
    /// A purge inside the transaction is followed, after commit, by a WAL truncation so
    /// the erased bytes leave the -wal file too.
    ///
    /// `receivedFromPeer`: the transaction applies ops a peer sent, which it can send again, so it
    /// commits as `Durability.resendable` and leaves the search index to `SearchBacklog`.
    func write<T>(receivedFromPeer: Bool = false, _ body: (WriteSession) throws -> T) throws(StoreError) -> T {
        let (result, erased, spent) = try storeErrors {
            try transaction(receivedFromPeer ? .resendable : .full) { db in
                let session = try WriteSession(db: db, replica: replica, wallMillis: wallClock())
                session.defersSearchIndex = receivedFromPeer
                let result = try body(session)
                try session.flush()
                return (result, session.erasedEntities, SpentSession(session))
            }
        }
        if receivedFromPeer { spent.releaseElsewhere() }
        if !erased.isEmpty { try checkpointTruncate() }
        return result
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        try storeErrors { try pool.read(body) }
    }

    /// Copies the write-ahead log into the database and starts it afresh with one small
    /// transaction, so that the next process to open the store has a few frames of log to read.
    ///
    /// The first connection a process opens rebuilds the log's index by reading every frame of
    /// the log that is still valid, and a checkpoint alone leaves them all valid until the next
    /// write starts the log over: after a bulk import that was a thousand frames, about 4 MB
    /// read by every command. The log is left holding one frame (the `settings` page, with the
    /// time of this restart), not empty, because GRDB writes into an empty log when it opens a pool,
    /// and a command that changes nothing must leave the files as they were.
    ///
    /// For the terminal client, after a command that wrote. Throws `database` when another
    /// process holds the log open for reading past the busy timeout; the store is unchanged then.
    public func restartLog() throws(StoreError) {
        try storeErrors {
            try pool.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
                // A value that differs from the stored one: SQLite writes no frame for a row rewritten unchanged.
                try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                               arguments: [Settings.logRestartedKey, Int64(wallClock())])
            }
        }
    }

    /// Copies the WAL into the database and truncates the -wal file to zero bytes.
    func checkpointTruncate() throws(StoreError) {
        try storeErrors {
            try pool.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
        }
    }
}

/// A write session whose transaction is over, held so that its cached entity states are freed
/// after the commit and, for a received batch, on another thread: freeing a batch's thousand
/// states, their fields, sets and text sequences took 3 % of the receiving thread, which a sync
/// waits for, inside the transaction.
private final class SpentSession: @unchecked Sendable {
    private var session: WriteSession?

    init(_ session: WriteSession) { self.session = session }

    func releaseElsewhere() {
        DispatchQueue.global(qos: .utility).async { self.session = nil }
    }
}
