import Foundation
import Storage
import SyncCore

/// The authorship section of a BATCH (Protocol.md 2.8): for each replica whose ops the batch
/// holds, what a receiver needs to check them against their author's signature.
struct ChainProof: Equatable {
    var replica: ReplicaID
    /// The chain value before the replica's first op in the batch; sent with a replica's first
    /// batch in a space, after which the receiver carries the chain on itself.
    var base: [UInt8]?
    /// The digests of the batch's erased ops of the replica, in order: what their content was.
    var erased: [[UInt8]] = []
    /// Digests of the replica's ops after the batch, up to the checkpoint.
    var tail: [[UInt8]]
    var checkpoint: AuthorCheckpoint

    static let maximumTail = 1 << 16

    func encode(to writer: inout ByteWriter) {
        writer.raw(replica.bytes)
        if let base { writer.byte(1); writer.raw(base) } else { writer.byte(0) }
        writer.varint(erased.count)
        for digest in erased { writer.raw(digest) }
        writer.varint(tail.count)
        for digest in tail { writer.raw(digest) }
        writer.varint(checkpoint.seq)
        writer.raw(checkpoint.hash)
        writer.raw(checkpoint.publicKey)
        writer.raw(checkpoint.signature)
    }

    static func decodeAll(_ reader: inout ByteReader, space: SpaceID) throws(CodecError) -> [ChainProof] {
        let count = try reader.count(limit: reader.remaining / 148)
        var proofs: [ChainProof] = []
        for _ in 0..<count {
            guard let replica = ReplicaID(bytes: try reader.raw(16)) else { throw CodecError(.invalidValue, at: reader.offset, "replica id") }
            let flag = try reader.byte()
            guard flag <= 1 else { throw CodecError(.invalidValue, at: reader.offset, "base flag \(flag)") }
            let base = flag == 1 ? Array(try reader.raw(32)) : nil
            let erased = try digests(&reader)
            let tail = try digests(&reader)
            let seq = try reader.varint()
            let hash = Array(try reader.raw(32))
            let key = Array(try reader.raw(32))
            let signature = Array(try reader.raw(64))
            proofs.append(ChainProof(replica: replica, base: base, erased: erased, tail: tail, checkpoint: AuthorCheckpoint(
                space: space, replica: replica, seq: seq, hash: hash, publicKey: key, signature: signature)))
        }
        return proofs
    }

    private static func digests(_ reader: inout ByteReader) throws(CodecError) -> [[UInt8]] {
        let count = try reader.count(limit: min(maximumTail, reader.remaining / 32))
        var digests: [[UInt8]] = []
        digests.reserveCapacity(count)
        for _ in 0..<count { digests.append(Array(try reader.raw(32))) }
        return digests
    }
}
