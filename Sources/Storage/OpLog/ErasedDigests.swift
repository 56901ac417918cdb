import Foundation
import GRDB
import SyncCore

/// The digests of erased ops (`erased_digests`): what their authors' chains committed to before a
/// purge replaced their payloads (Protocol.md 2.8). Kept so this store can still prove, to any
/// peer, the ops it serves in their erased form; a digest reveals nothing of the content.
public struct ErasedDigest: Sendable, Hashable {
    public var id: OpID
    /// SHA-256 of the op's authored bytes, before erasure: 32 bytes.
    public var digest: [UInt8]

    public init(id: OpID, digest: [UInt8]) {
        self.id = id
        self.digest = digest
    }
}

enum ErasedDigests {
    /// Records the digests of `ops`, about to be erased. Ops already erased, and those erasure
    /// keeps as they are (create, purge), need none of their own.
    static func record(_ ops: some Sequence<Op>, _ db: Database) throws {
        try save(ops.compactMap { op in
            op.payload == OpLogRows.erasedForm(op.payload) ? nil : ErasedDigest(id: op.id, digest: OpCodec.authoredDigest(op))
        }, db)
    }

    static func save(_ digests: [ErasedDigest], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO erased_digests (space, replica, seq, digest) VALUES (?, ?, ?, ?)")
        for entry in digests {
            try statement.execute(arguments: [entry.id.space.name, Data(entry.id.replica.bytes), Int64(clamping: entry.id.seq), Data(entry.digest)])
        }
    }
}

extension Store {
    /// The digests of the erased ops of `replica` in `space` within `seqs`, by seq.
    public func erasedDigests(in space: SpaceID, of replica: ReplicaID, seqs: ClosedRange<UInt64>) throws(StoreError) -> [UInt64: [UInt8]] {
        try read { db in
            var digests: [UInt64: [UInt8]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT seq, digest FROM erased_digests WHERE space = ? AND replica = ? AND seq BETWEEN ? AND ?
                """, arguments: [space.name, Data(replica.bytes), Int64(clamping: seqs.lowerBound), Int64(clamping: seqs.upperBound)]) {
                digests[UInt64(row[0] as Int64)] = [UInt8](row[1] as Data)
            }
            return digests
        }
    }
}
