import Foundation
import Storage
import SyncCore

/// Checks a peer's ops against their authors' signatures before the store sees them
/// (Protocol.md 2.8), for one receiving session.
///
/// Each replica's ops in a batch extend its chain from the base the sender gave (or from where
/// the previous batch left it), through the digests of the ops after the batch, to a checkpoint
/// whose key must hash to the replica and whose signature must verify. A batch that fails is
/// refused whole: its sender forged the ops or relays a forgery. A chain that verifies but
/// differs from a checkpoint this store already holds proves that the author signed two
/// histories: that replica's ops are dropped from the batch and the replica reported as faulty.
final class ChainVerifier {
    struct Verified {
        var ops: [Op]
        var checkpoints: [AuthorCheckpoint]
        var heads: [ChainHead]
        var erasedDigests: [ErasedDigest]
        var faulty: [(replica: ReplicaID, seq: UInt64)]

        var proof: ReceivedProof {
            var proof = ReceivedProof()
            proof.checkpoints = checkpoints
            proof.heads = heads
            proof.erasedDigests = erasedDigests
            return proof
        }
    }

    private struct Key: Hashable {
        let space: SpaceID
        let replica: ReplicaID
    }

    private let store: Store
    private let hasher = ChainHasher()
    /// Where each replica's chain stands after the batches verified so far.
    private var heads: [Key: (seq: UInt64, hash: [UInt8])] = [:]
    /// Replicas found faulty in this session: the rest of their history is dropped too.
    private var refused: Set<Key> = []

    init(store: Store) { self.store = store }

    func verify(_ ops: [Op], proofs: [ChainProof], space: SpaceID, batch: UInt64) throws(TransportError) -> Verified {
        var byReplica: [ReplicaID: [Op]] = [:]
        for op in ops { byReplica[op.id.replica, default: []].append(op) }
        var proofOf: [ReplicaID: ChainProof] = [:]
        for proof in proofs {
            guard proofOf.updateValue(proof, forKey: proof.replica) == nil else {
                throw TransportError(.malformed, "BATCH \(batch) proves the ops of \(proof.replica) twice")
            }
        }
        guard Set(proofOf.keys) == Set(byReplica.keys) else {
            let unproved = byReplica.keys.filter { proofOf[$0] == nil }.map(\.description).sorted()
            throw TransportError(.forged, "BATCH \(batch) holds ops without their author's checkpoint (replicas \(unproved.joined(separator: ", ")))")
        }
        var verified = Verified(ops: [], checkpoints: [], heads: [], erasedDigests: [], faulty: [])
        var dropped = Set<ReplicaID>()
        for (replica, own) in byReplica.sorted(by: { $0.key < $1.key }) {
            let key = Key(space: space, replica: replica)
            let proof = proofOf[replica]!
            if refused.contains(key) { dropped.insert(replica); continue }
            if let conflict = try check(own, proof, key, batch: batch) {
                refused.insert(key)
                dropped.insert(replica)
                verified.faulty.append((replica, conflict))
            } else {
                verified.checkpoints.append(proof.checkpoint)
                verified.erasedDigests += zip(own.filter(\.isErased), proof.erased).map { ErasedDigest(id: $0.id, digest: $1) }
                if let head = heads[key] { verified.heads.append(ChainHead(space: space, replica: replica, seq: head.seq, hash: head.hash)) }
            }
        }
        verified.ops = dropped.isEmpty ? ops : ops.filter { !dropped.contains($0.id.replica) }
        return verified
    }

    /// Verifies one replica's ops; returns the seq where they contradict a checkpoint held here.
    private func check(_ ops: [Op], _ proof: ChainProof, _ key: Key, batch: UInt64) throws(TransportError) -> UInt64? {
        let baseSeq = ops[0].id.seq - 1
        var value: [UInt8]
        if let base = proof.base {
            value = base
        } else if let head = heads[key], head.seq == baseSeq {
            value = head.hash
        } else {
            throw TransportError(.malformed, "BATCH \(batch): the ops of \(key.replica) from \(ops[0].id.seq) come without the chain before them")
        }
        let checkpoint = proof.checkpoint
        let upper = max(checkpoint.seq, ops[ops.count - 1].lastSeq)
        // What this store already verified of the replica: signed checkpoints and its chain head.
        // The new ops must pass through each of them with the same hash, and end an op there.
        var held = try storeCall { () throws(StoreError) in try store.checkpoints(in: key.space, of: key.replica, seqs: baseSeq...upper) }
            .map { (seq: $0.seq, hash: $0.hash) }
        if let head = try storeCall({ () throws(StoreError) in try store.chainHead(in: key.space, of: key.replica) }),
           (baseSeq...upper).contains(head.seq) {
            held.append((head.seq, head.hash))
        }
        held.sort { $0.seq < $1.seq }
        var conflict: UInt64? = nil
        var point = 0
        func compare(_ seq: UInt64, _ hash: [UInt8], startingAt first: UInt64) {
            while point < held.count && held[point].seq <= seq {
                if conflict == nil && (held[point].seq < seq && held[point].seq >= first || held[point].seq == seq && held[point].hash != hash) {
                    conflict = held[point].seq
                }
                point += 1
            }
        }
        compare(baseSeq, value, startingAt: baseSeq)
        var next = ops[0].id.seq
        var erased = proof.erased.makeIterator()
        for op in ops {
            guard op.id.seq == next else {
                throw TransportError(.malformed, "BATCH \(batch): the ops of \(key.replica) skip from \(next) to \(op.id.seq)")
            }
            if op.isErased {
                guard let digest = erased.next() else {
                    throw TransportError(.forged, "BATCH \(batch): an erased op of \(key.replica) comes without the digest its author signed")
                }
                hasher.chain(&value, digest: digest[...])
            } else {
                hasher.chain(&value, op)
            }
            next = op.lastSeq &+ 1
            compare(op.lastSeq, value, startingAt: op.id.seq)
        }
        guard erased.next() == nil else {
            throw TransportError(.malformed, "BATCH \(batch) gives more erased digests for \(key.replica) than it has erased ops")
        }
        let head = (seq: next - 1, hash: value)
        for digest in proof.tail { hasher.chain(&value, digest: digest[...]) }
        guard checkpoint.seq >= head.seq, proof.tail.isEmpty == (checkpoint.seq == head.seq),
              value == checkpoint.hash, CheckpointMessage.verify(checkpoint) else {
            throw TransportError(.forged, "BATCH \(batch) holds ops of replica \(key.replica) in \(key.space) that its author did not sign")
        }
        if conflict == nil, let stored = held.first(where: { $0.seq == checkpoint.seq }), stored.hash != checkpoint.hash {
            conflict = checkpoint.seq
        }
        if conflict == nil { heads[key] = head }
        return conflict
    }
}

extension Op {
    var isErased: Bool { if case .erased = payload { true } else { false } }
}

func storeCall<T>(_ body: () throws(StoreError) -> T) throws(TransportError) -> T {
    do { return try body() } catch {
        throw TransportError(error.code == .clockSkew ? .clockSkew : .internal, "the store refused: \(error.message)")
    }
}
