import Foundation
import GRDB
import SyncCore

/// An author other than this store's replica, for writes that must not be linked to the device:
/// an evidence record is written by a key of its own (Protocol.md 3.3), so nothing a rep
/// receives names the device or links two records.
///
/// `sign` signs the bytes of a checkpoint (`AuthorCheckpoint.signedBytes`) with the key whose
/// SHA-256 begins with `replica`. `wallMillis` stands in for the clock: a time no finer than the
/// week, so the ops' timestamps say nothing finer either.
public struct PseudonymousAuthor {
    public var replica: ReplicaID
    public var publicKey: [UInt8]
    public var wallMillis: UInt64
    public var sign: ([UInt8]) throws -> [UInt8]

    public init(replica: ReplicaID, publicKey: [UInt8], wallMillis: UInt64, sign: @escaping ([UInt8]) throws -> [UInt8]) {
        self.replica = replica
        self.publicKey = publicKey
        self.wallMillis = wallMillis
        self.sign = sign
    }
}

extension Store {
    /// Creates a sealed evidence record written by `author`: one `create` and one `sealed` field,
    /// signed by `author` in the same transaction, so it is served like any relayed op. `seed`
    /// (the author's key, so this device alone can withdraw the record) is kept here only.
    public func addSealedEvidence(_ sealed: String, as author: PseudonymousAuthor, keeping seed: [UInt8]) throws(StoreError) -> EntityID {
        try writeSigned(as: author) { session, factory in
            var (state, create) = EntityState.create(.evidence, in: .evidence, using: &factory)
            let field = try state.setField(FieldKey.sealed, to: .string(sealed), using: &factory)
            session.put(state)
            try session.db.execute(sql: "INSERT INTO evidence_keys (record, seed) VALUES (?, ?)",
                                   arguments: [Data(state.id.bytes), Data(seed)])
            return (state.id, [create, field])
        }
    }

    /// The key seed of an evidence record this device wrote, nil for any other record.
    public func evidenceSeed(_ record: EntityID) throws(StoreError) -> [UInt8]? {
        try read { db in
            try Data.fetchOne(db, sql: "SELECT seed FROM evidence_keys WHERE record = ?", arguments: [Data(record.bytes)]).map { [UInt8]($0) }
        }
    }

    /// Withdraws an evidence record this device wrote, as its author: a purge, erased here and on
    /// every device the op reaches. Its key seed is forgotten with it.
    public func withdraw(evidence id: EntityID, as author: PseudonymousAuthor) throws(StoreError) {
        try writeSigned(as: author) { session, factory in
            guard var state = try session.existingState(id), state.kind == .evidence else {
                throw StoreError(.unknownID, "no evidence record with id \(id.short)")
            }
            guard !state.isPurged else { return (id, []) }
            let op = try state.purge(using: &factory)
            session.put(state)
            try session.db.execute(sql: "DELETE FROM shared_from WHERE record = ?", arguments: [Data(id.bytes)])
            try session.db.execute(sql: "DELETE FROM evidence_keys WHERE record = ?", arguments: [Data(id.bytes)])
            return (id, [op])
        }
    }

    /// Runs `body` with a factory numbering `author`'s next ops and stamping them no later than
    /// its `wallMillis` allows, logs what it returns, and signs a checkpoint at the last op over
    /// the author's chain, kept with the chain head in the same transaction. The store's own
    /// clock is left as it was: these timestamps are coarse on purpose.
    private func writeSigned(
        as author: PseudonymousAuthor, _ body: (WriteSession, inout OpFactory) throws -> (EntityID, [Op])
    ) throws(StoreError) -> EntityID {
        try write { session in
            let last = try Self.lastTimestamp(of: author.replica, in: .evidence, session.db)
            var factory = try session.makeFactory(for: author.replica, wallMillis: author.wallMillis, clock: HybridLogicalClock(last: last))
            let (id, ops) = try body(session, &factory)
            guard let final = ops.last else { return id }
            for op in ops { try session.log(op) }
            let space = final.id.space
            let head = try Row.fetchOne(session.db, sql: "SELECT seq, hash FROM chain_heads WHERE space = ? AND replica = ?",
                                        arguments: [space.name, Data(author.replica.bytes)])
            var hash = head.map { [UInt8]($0[1] as Data) } ?? [UInt8](repeating: 0, count: 32)
            guard (head.map { UInt64($0[0] as Int64) } ?? 0) + 1 == ops[0].id.seq else {
                throw StoreError(.corrupt, "the chain of evidence author \(author.replica.hex) does not reach its next op")
            }
            for op in ops { hash = SHA256Digest.hash(hash + OpCodec.authoredDigest(op)) }
            let signed = AuthorCheckpoint.signedBytes(space: space, replica: author.replica, seq: final.lastSeq, hash: hash)
            let checkpoint = AuthorCheckpoint(space: space, replica: author.replica, seq: final.lastSeq, hash: hash,
                                              publicKey: author.publicKey, signature: try author.sign(signed))
            try Self.save([checkpoint], session.db)
            try Self.advance([ChainHead(space: space, replica: author.replica, seq: final.lastSeq, hash: hash)], session.db)
            return id
        }
    }

    /// The latest timestamp of `author`'s ops in `space`. By space first: the log's key begins with
    /// it, so only that space's rows are read, not the whole log of a large store.
    private static func lastTimestamp(of author: ReplicaID, in space: SpaceID, _ db: Database) throws -> Timestamp {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT hlc_ms, hlc_counter FROM ops WHERE space = ? AND replica = ? ORDER BY hlc_ms DESC, hlc_counter DESC LIMIT 1
            """, arguments: [space.name, Data(author.bytes)]) else { return .zero }
        return Timestamp(millis: UInt64(row[0] as Int64), counter: UInt32(row[1] as Int64))
    }
}

extension AuthorCheckpoint {
    static let label = Array("fieldnote checkpoint 1\n".utf8)

    /// What an author signs (Protocol.md 2.8): the checkpoint's fields after a fixed label, so a
    /// signature made for anything else (a TLS handshake) can never pass for one.
    public static func signedBytes(space: SpaceID, replica: ReplicaID, seq: UInt64, hash: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: 96)
        writer.raw(label)
        writer.string(space.name)
        writer.raw(replica.bytes)
        writer.varint(seq)
        writer.raw(hash)
        return writer.bytes
    }
}

extension FieldKey {
    /// The one field of a sealed evidence record: its envelope, base64 (Protocol.md 3.2).
    public static let sealed = "sealed"
}
