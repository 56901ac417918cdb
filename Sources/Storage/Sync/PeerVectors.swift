import Foundation
import GRDB
import SyncCore

extension Store {
    /// What this store remembers `device` holding at their last complete sync, by space: the
    /// base of the next session's opening turn (Protocol.md 2.4). A lower bound: the device may
    /// have more (from others, or its own edits), and if it has less the session finds out from
    /// its HELLO and sends the rest in a closing turn.
    public func peerVectors(device: String) throws(StoreError) -> [SpaceID: VersionVector] {
        try read { db in
            var vectors: [SpaceID: VersionVector] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT space, vector FROM peer_vectors WHERE device = ?", arguments: [device]) {
                // A row that does not read is forgotten, not fatal: it costs one more turn.
                guard let space = try? SpaceID(row[0] as String), let vector = PeerVectorBlob.decode(row[1]) else { continue }
                vectors[space] = vector
            }
            return vectors
        }
    }

    /// Replaces what this store remembers of `device` with `vectors` (none forgets it).
    public func rememberPeerVectors(_ vectors: [SpaceID: VersionVector], device: String) throws(StoreError) {
        try storeErrors {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM peer_vectors WHERE device = ?", arguments: [device])
                for (space, vector) in vectors {
                    try db.execute(sql: "INSERT INTO peer_vectors (device, space, vector) VALUES (?, ?, ?)",
                                   arguments: [device, space.name, PeerVectorBlob.encode(vector)])
                }
            }
        }
    }
}

/// A version vector as one column: a count, then each replica's 16 bytes and its seq (varints).
enum PeerVectorBlob {
    static func encode(_ vector: VersionVector) -> Data {
        var writer = ByteWriter()
        let entries = vector.entries.sorted { $0.key < $1.key }
        writer.varint(entries.count)
        for (replica, seq) in entries {
            writer.raw(replica.bytes)
            writer.varint(seq)
        }
        return Data(writer.bytes)
    }

    static func decode(_ data: Data?) -> VersionVector? {
        guard let data else { return nil }
        var reader = ByteReader([UInt8](data))
        var entries: [ReplicaID: UInt64] = [:]
        guard let count = try? reader.count(limit: data.count / 17) else { return nil }
        for _ in 0..<count {
            guard let bytes = try? reader.raw(16), let replica = ReplicaID(bytes: bytes), let seq = try? reader.varint() else { return nil }
            entries[replica] = seq
        }
        return reader.isAtEnd ? VersionVector(entries) : nil
    }
}
