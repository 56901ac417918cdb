import Foundation
import GRDB
import SyncCore

/// The local-only `settings` table: this replica's identity and its clock.
///
/// Neither is ever synced. The clock's last reading is kept so that a timestamp made by the next
/// command is later than every one this store has made or received, even if the wall clock
/// stepped back in between.
enum Settings {
    static let replicaKey = "replica_id"
    static let clockMillisKey = "hlc_millis"
    static let clockCounterKey = "hlc_counter"
    static let createdKey = "created_ms"
    /// When `Store.restartLog` last ran; written so that the restarted log holds one frame.
    static let logRestartedKey = "log_restarted_ms"

    /// Returns the replica id, storing `newReplica` (or, without one, a random id) on first open.
    static func loadOrCreateIdentity(_ db: Database, newReplica: ReplicaID?) throws -> (ReplicaID, created: Bool) {
        if let data = try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [replicaKey]) {
            guard let replica = ReplicaID(bytes: data) else {
                throw StoreError(.corrupt, "the stored replica id is not 16 bytes")
            }
            return (replica, false)
        }
        let replica = newReplica ?? ReplicaID.random()
        try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?), (?, ?), (?, ?), (?, ?)", arguments: [
            replicaKey, Data(replica.bytes), clockMillisKey, 0, clockCounterKey, 0,
            createdKey, Int64(Store.systemMillis()),
        ])
        return (replica, true)
    }

    static func loadClock(_ db: Database) throws -> HybridLogicalClock {
        let millis = try Int64.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [clockMillisKey]) ?? 0
        let counter = try Int64.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [clockCounterKey]) ?? 0
        return HybridLogicalClock(last: Timestamp(millis: UInt64(max(0, millis)), counter: UInt32(clamping: counter)))
    }

    static func saveClock(_ clock: HybridLogicalClock, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)")
        try statement.execute(arguments: [clockMillisKey, Int64(clock.last.millis)])
        try statement.execute(arguments: [clockCounterKey, Int64(clock.last.counter)])
    }
}

extension Store {
    /// The store's display name (`init --name`), local-only; nil until set.
    public func name() throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'name'") }
    }

    /// Sets or clears (nil) the store's display name.
    public func setName(_ name: String?) throws(StoreError) {
        try storeErrors {
            try pool.write { db in
                if let name {
                    try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES ('name', ?)", arguments: [name])
                } else {
                    try db.execute(sql: "DELETE FROM settings WHERE key = 'name'")
                }
            }
        }
    }
}
