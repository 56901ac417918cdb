import ArgumentParser
import Foundation
import Storage
import SyncCore
import Transport

/// Where the store is: shared by every command that reads or writes notes.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The store directory (default: $FIELDNOTE_HOME, else ~/.fieldnote).",
            discussion: "Created, private to you (mode 0700), by the first command that needs it.",
            valueName: "dir"))
    var directory: String?

    var location: StoreLocation { StoreLocation.resolve(explicit: directory) }

    /// Opens the store, creating it if needed (and saying so on stderr), runs `body`, and closes it
    /// so that the next command finds the store's files as this one left them.
    func withStore<T>(_ body: (Store) throws -> T) throws -> T {
        let location = self.location
        let logBefore = StoreFilesState.log(of: location)
        let store = try Store(location: location, newReplica: try replicaForNewStore(at: location))
        if store.wasCreated { Terminal.note("created store at \(store.location.directory.path)") }
        defer { StoreFilesState.close(store, logBefore: logBefore) }
        return try body(store)
    }
}

extension StoreOptions {
    /// For a store not made yet, this device's identity (made now, in the store directory) and the
    /// replica id its key speaks for: peers accept a store's notes only under that key's
    /// signature (Protocol.md 2.8). Nil for an existing store, which keeps its id.
    private func replicaForNewStore(at location: StoreLocation) throws -> ReplicaID? {
        guard !FileManager.default.fileExists(atPath: location.databaseURL.path) else { return nil }
        // A directory that cannot be made is the store's to report, in its words.
        guard (try? FileManager.default.createDirectory(at: location.directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])) != nil else { return nil }
        return try DeviceIdentity.loadOrCreate(in: location.directory).replica
    }
}

/// Closing the store so that a command that changes nothing leaves every file byte for byte as it
/// was, and the next command opens it quickly.
///
/// Three things stand in the way, all below the store's API:
/// - GRDB's pool, opening a store whose -wal file is missing or empty, writes a throwaway table
///   into the log (GRDB issue 102), which changes the files. So the log must survive between
///   commands. SQLite deletes it when the last connection to close is a writer; the pool closes
///   its writer before its read-only readers, so reading once before closing keeps it.
/// - The first connection of a process rebuilds the log's index from every valid frame of the
///   log. After a command that wrote and left the log over `restartAbove` (or empty, after a
///   purge), `Store.restartLog` copies the log into the database and leaves it one frame long,
///   so the next command reads one frame, not the thousand a bulk import leaves behind.
/// - SQLite rebuilds the -shm index when the first connection of a process opens it, and the
///   rebuilt bytes differ from those written along the way. So after a command that wrote, the
///   store is opened and read once more, which leaves the index as the next command will rebuild it.
///
/// SQLITE_FCNTL_PERSIST_WAL would not replace this: a persistent log kept by a closing writer has
/// been checkpointed but keeps every frame valid (the next process still reads them all), and
/// with `journal_size_limit` set it is truncated to zero bytes, which GRDB refills on open.
enum StoreFilesState {
    struct Log: Equatable {
        var size: Int
        /// Modification time in nanoseconds; nil when there is no log file.
        var modified: Int?
    }

    /// One `stat` (FileManager's attributes cost a measurable share of a short command).
    static func log(of location: StoreLocation) -> Log {
        var info = stat()
        guard stat(location.databaseURL.path + "-wal", &info) == 0 else { return Log(size: 0, modified: nil) }
        return Log(size: Int(info.st_size), modified: info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec)
    }

    /// The log size above which a command that wrote restarts it. Below it, reading the log on
    /// open costs less than a restart's three extra fsyncs (the log, the database, the log again),
    /// which on a busy disk took longer than the rest of an `add`; above it, reading grows with
    /// every command. SQLite's own automatic checkpoint lets the log reach about 4 MB.
    static let restartAbove = 1 << 20

    static func close(_ store: Store, logBefore: Log) {
        let now = log(of: store.location)
        let wrote = now != logBefore || now.size == 0
        // Best effort: when another process is reading, the log stays as it is, which is correct, only slower to open.
        if wrote, now.size == 0 || now.size > restartAbove { try? store.restartLog() }
        closeKeepingLog(store)
        if wrote { reopen(store.location) }
    }

    private static func closeKeepingLog(_ store: Store) {
        _ = try? store.name()
        try? store.close()
    }

    private static func reopen(_ location: StoreLocation) {
        if let store = try? Store(location: location) { closeKeepingLog(store) }
    }
}

/// `--json` for commands whose output scripts may read.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (sorted keys, ISO 8601 dates in UTC, full ids) instead of text.")
    var json = false
}
