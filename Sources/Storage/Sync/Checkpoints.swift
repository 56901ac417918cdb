import Foundation
import GRDB
import SyncCore

/// An author's signature over its hash chain in one space (Protocol.md 2.8): "every op of
/// `replica` in `space` up to `seq` hashes to `hash`", signed with the Ed25519 key whose
/// SHA-256 begins with the replica id. Storage keeps checkpoints; checking them is Transport's.
public struct AuthorCheckpoint: Sendable, Hashable {
    public var space: SpaceID
    public var replica: ReplicaID
    public var seq: UInt64
    /// The chain hash after the op that ends at `seq`: 32 bytes.
    public var hash: [UInt8]
    /// The author's raw Ed25519 public key: 32 bytes.
    public var publicKey: [UInt8]
    /// 64 bytes.
    public var signature: [UInt8]

    public init(space: SpaceID, replica: ReplicaID, seq: UInt64, hash: [UInt8], publicKey: [UInt8], signature: [UInt8]) {
        self.space = space
        self.replica = replica
        self.seq = seq
        self.hash = hash
        self.publicKey = publicKey
        self.signature = signature
    }
}

/// Where a replica's chain stands in this store: its hash after the op that ends at `seq`.
public struct ChainHead: Sendable, Hashable {
    public var space: SpaceID
    public var replica: ReplicaID
    public var seq: UInt64
    public var hash: [UInt8]

    public init(space: SpaceID, replica: ReplicaID, seq: UInt64, hash: [UInt8]) {
        self.space = space
        self.replica = replica
        self.seq = seq
        self.hash = hash
    }
}

/// What proved a batch of received ops (Protocol.md 2.8), kept with them.
public struct ReceivedProof: Sendable, Hashable {
    public var checkpoints: [AuthorCheckpoint] = []
    public var heads: [ChainHead] = []
    public var erasedDigests: [ErasedDigest] = []

    public init() {}
}

/// A replica whose author signed two different histories: found when a peer's ops of it met
/// this store's at `seq`.
public struct FaultyReplica: Sendable, Hashable {
    public var space: SpaceID
    public var replica: ReplicaID
    public var seq: UInt64
    public var detectedMillis: UInt64
    /// The device (its id, as the session knew it) that relayed the second history.
    public var peer: String

    public init(space: SpaceID, replica: ReplicaID, seq: UInt64, detectedMillis: UInt64, peer: String) {
        self.space = space
        self.replica = replica
        self.seq = seq
        self.detectedMillis = detectedMillis
        self.peer = peer
    }
}

extension Store {
    /// The checkpoint of `replica` in `space` nearest above or at `seq` (`atOrAbove`), or nearest
    /// below or at it; nil when there is none.
    public func checkpoint(in space: SpaceID, of replica: ReplicaID, atOrAbove seq: UInt64) throws(StoreError) -> AuthorCheckpoint? {
        try read { db in try Self.checkpoint(db, space, replica, "seq >= ? ORDER BY seq", seq) }
    }

    public func checkpoint(in space: SpaceID, of replica: ReplicaID, atOrBelow seq: UInt64) throws(StoreError) -> AuthorCheckpoint? {
        try read { db in try Self.checkpoint(db, space, replica, "seq <= ? ORDER BY seq DESC", seq) }
    }

    /// The checkpoints of `replica` in `space` whose seqs lie in `seqs`, by seq.
    public func checkpoints(in space: SpaceID, of replica: ReplicaID, seqs: ClosedRange<UInt64>) throws(StoreError) -> [AuthorCheckpoint] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT space, replica, seq, hash, public_key, signature FROM checkpoints
                WHERE space = ? AND replica = ? AND seq BETWEEN ? AND ? ORDER BY seq
                """, arguments: [space.name, Data(replica.bytes), Int64(clamping: seqs.lowerBound), Int64(clamping: seqs.upperBound)])
                .map(Self.checkpoint(from:))
        }
    }

    /// The chain head of `replica` in `space`, nil before any of its ops was verified here.
    public func chainHead(in space: SpaceID, of replica: ReplicaID) throws(StoreError) -> ChainHead? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT seq, hash FROM chain_heads WHERE space = ? AND replica = ?",
                             arguments: [space.name, Data(replica.bytes)]).map { row in
                ChainHead(space: space, replica: replica, seq: UInt64(row[0] as Int64), hash: [UInt8](row[1] as Data))
            }
        }
    }

    /// Where each replica's chain stands at `vector`'s seq for it, for the replicas where this
    /// store knows: its verified chain head, or a checkpoint (this device's own, once signed) at
    /// exactly that seq. What a HELLO announces (Protocol.md 2.8).
    public func chainValues(in space: SpaceID, at vector: VersionVector) throws(StoreError) -> [ReplicaID: [UInt8]] {
        try read { db in
            var values: [ReplicaID: [UInt8]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT replica, seq, hash FROM chain_heads WHERE space = ?", arguments: [space.name]) {
                let replica = try EntityRows.replicaID(row[0])
                if vector[replica] == UInt64(row[1] as Int64) { values[replica] = [UInt8](row[2] as Data) }
            }
            let own = vector[replica]
            if own > 0, let signed = try Self.checkpoint(db, space, replica, "seq = ? ORDER BY seq", own) { values[replica] = signed.hash }
            return values
        }
    }

    /// Moves chain heads forward (never back), in the transaction that applies their ops.
    static func advance(_ heads: [ChainHead], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO chain_heads (space, replica, seq, hash) VALUES (?, ?, ?, ?)
            ON CONFLICT (space, replica) DO UPDATE SET seq = excluded.seq, hash = excluded.hash WHERE excluded.seq > chain_heads.seq
            """)
        for head in heads {
            try statement.execute(arguments: [head.space.name, Data(head.replica.bytes), Int64(clamping: head.seq), Data(head.hash)])
        }
    }

    /// Keeps checkpoints made on this device (the client signs its own ops before it serves them).
    public func saveCheckpoints(_ checkpoints: [AuthorCheckpoint]) throws(StoreError) {
        try storeErrors { try pool.write { db in try Self.save(checkpoints, db) } }
    }

    /// Records that `replica`'s author signed a second history in `space`, found at `seq`.
    public func recordFaulty(_ replica: ReplicaID, in space: SpaceID, at seq: UInt64, peer: String) throws(StoreError) {
        try storeErrors {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT OR IGNORE INTO faulty_replicas (space, replica, seq, detected_ms, peer) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [space.name, Data(replica.bytes), Int64(clamping: seq), Int64(clamping: wallClock()), peer])
            }
        }
    }

    /// Every replica found faulty, by space and replica.
    public func faultyReplicas() throws(StoreError) -> [FaultyReplica] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT space, replica, seq, detected_ms, peer FROM faulty_replicas ORDER BY space, replica").map { row in
                FaultyReplica(space: try SpaceID(row[0] as String), replica: try EntityRows.replicaID(row[1]),
                              seq: UInt64(row[2] as Int64), detectedMillis: UInt64(row[3] as Int64), peer: row[4])
            }
        }
    }

    static func save(_ checkpoints: [AuthorCheckpoint], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO checkpoints (space, replica, seq, hash, public_key, signature) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for checkpoint in checkpoints {
            try statement.execute(arguments: [
                checkpoint.space.name, Data(checkpoint.replica.bytes), Int64(clamping: checkpoint.seq),
                Data(checkpoint.hash), Data(checkpoint.publicKey), Data(checkpoint.signature),
            ])
        }
    }

    private static func checkpoint(_ db: Database, _ space: SpaceID, _ replica: ReplicaID, _ condition: String, _ seq: UInt64) throws -> AuthorCheckpoint? {
        try Row.fetchOne(db, sql: """
            SELECT space, replica, seq, hash, public_key, signature FROM checkpoints
            WHERE space = ? AND replica = ? AND \(condition) LIMIT 1
            """, arguments: [space.name, Data(replica.bytes), Int64(clamping: seq)]).map(checkpoint(from:))
    }

    private static func checkpoint(from row: Row) throws -> AuthorCheckpoint {
        AuthorCheckpoint(space: try SpaceID(row[0] as String), replica: try EntityRows.replicaID(row[1]), seq: UInt64(row[2] as Int64),
                         hash: [UInt8](row[3] as Data), publicKey: [UInt8](row[4] as Data), signature: [UInt8](row[5] as Data))
    }
}
