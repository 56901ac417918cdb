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

extension Store {
    static let personSecretKey = "person_secret"

    /// The secret a person's devices share (`peers add --mine`), from which each month's
    /// reporter key is made, so two devices of one person count once in a report and nothing
    /// else links them (Protocol.md 3.3). Made at random on first use; local-only, and sent only
    /// to the person's own devices.
    public func personSecret() throws(StoreError) -> [UInt8] {
        try storeErrors {
            try pool.write { db in
                if let data = try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [Self.personSecretKey]),
                   data.count == 32 {
                    return [UInt8](data)
                }
                var generator = SystemRandomNumberGenerator()
                let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", arguments: [Self.personSecretKey, Data(secret)])
                return secret
            }
        }
    }

    /// The person secret when one was made; nil on a device that never shared or synced with
    /// another of the person's devices. Reads only.
    public func existingPersonSecret() throws(StoreError) -> [UInt8]? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [Self.personSecretKey])
                .flatMap { $0.count == 32 ? [UInt8]($0) : nil }
        }
    }

    /// The next number in the person's count of evidence records about `month` (`YYYY-MM`),
    /// above `atLeast` (the highest this device has seen of the person's, from any of their
    /// devices) and above every one this device gave. Per month, so two months' counts link
    /// nothing; carried on from the person's other devices, so it does not tell them apart.
    public func nextEvidenceSequence(month: String, atLeast seen: Int) throws(StoreError) -> Int {
        try storeErrors {
            try pool.write { db in
                let key = "evidence_sequence " + month
                let next = max(seen, try Int.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) ?? 0) + 1
                try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", arguments: [key, next])
                return next
            }
        }
    }

    static let formerPersonSecretsKey = "person_secrets_former"

    /// Takes `secret`, received from one of the person's own devices, when it sorts before this
    /// device's: any number of one person's devices settle on the same secret, whatever the
    /// order they sync in. The secret given up is kept (`formerPersonSecrets`), so the records
    /// sealed under it still open as the person's. Read, compare and write in one transaction, so
    /// two syncs at once cannot lose a secret. A secret of one repeated byte is refused: no
    /// device makes one, and anyone could guess it. Returns whether this device's secret changed.
    @discardableResult
    public func adoptPersonSecret(_ secret: [UInt8]) throws(StoreError) -> Bool {
        guard secret.count == 32, Set(secret).count > 1 else { throw StoreError(.invalidArgument, "a person secret is 32 bytes, not all alike") }
        return try storeErrors {
            try pool.write { db in
                let current = try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [Self.personSecretKey])
                    .flatMap { $0.count == 32 ? [UInt8]($0) : nil }
                if let current, !secret.lexicographicallyPrecedes(current) { return false }
                if let current {
                    let former = (try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [Self.formerPersonSecretsKey]) ?? Data())
                    try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                                   arguments: [Self.formerPersonSecretsKey, former + Data(current)])
                }
                try db.execute(sql: "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", arguments: [Self.personSecretKey, Data(secret)])
                return true
            }
        }
    }

    /// The secrets this device held before settling on its person's current one, oldest first.
    public func formerPersonSecrets() throws(StoreError) -> [[UInt8]] {
        try read { db in
            let bytes = [UInt8](try Data.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [Self.formerPersonSecretsKey]) ?? Data())
            return stride(from: 0, to: bytes.count - bytes.count % 32, by: 32).map { Array(bytes[$0..<$0 + 32]) }
        }
    }
}
