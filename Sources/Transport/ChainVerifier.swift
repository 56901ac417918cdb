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
        // Positions, not copies: a batch holds thousands of ops, mostly of one replica.
        var byReplica: [ReplicaID: [Int]] = [:]
        var last: (replica: ReplicaID, list: [Int])? = nil
        for (index, op) in ops.enumerated() {
            if last?.replica == op.id.replica { last!.list.append(index); continue }
            if let last { byReplica[last.replica] = last.list }
            last = (op.id.replica, byReplica.removeValue(forKey: op.id.replica) ?? [])
            last!.list.append(index)
        }
        if let last { byReplica[last.replica] = last.list }
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
        for (replica, positions) in byReplica.sorted(by: { $0.key < $1.key }) {
            let key = Key(space: space, replica: replica)
            let proof = proofOf[replica]!
            if refused.contains(key) { dropped.insert(replica); continue }
            if let conflict = try check(ops, positions, proof, key, batch: batch) {
                refused.insert(key)
                dropped.insert(replica)
                verified.faulty.append((replica, conflict))
            } else {
                verified.checkpoints.append(proof.checkpoint)
                if !proof.erased.isEmpty {
                    let erased = positions.map { ops[$0] }.filter(\.isErased)
                    verified.erasedDigests += zip(erased, proof.erased).map { ErasedDigest(id: $0.id, digest: $1) }
                }
                if let head = heads[key] { verified.heads.append(ChainHead(space: space, replica: replica, seq: head.seq, hash: head.hash)) }
            }
        }
        verified.ops = dropped.isEmpty ? ops : ops.filter { !dropped.contains($0.id.replica) }
        return verified
    }

    /// Verifies one replica's ops (`ops` at `positions`); returns the seq where they contradict
    /// what this store verified before.
    private func check(_ ops: [Op], _ positions: [Int], _ proof: ChainProof, _ key: Key, batch: UInt64) throws(TransportError) -> UInt64? {
        let first = ops[positions[0]]
        let baseSeq = first.id.seq - 1
        var value: [UInt8]
        if let base = proof.base {
            value = base
        } else if let head = heads[key], head.seq == baseSeq {
            value = head.hash
        } else {
            throw TransportError(.malformed, "BATCH \(batch): the ops of \(key.replica) from \(first.id.seq) come without the chain before them")
        }
        let checkpoint = proof.checkpoint
        let lastSeq = ops[positions[positions.count - 1]].lastSeq
        var held = try heldPoints(key, seqs: baseSeq...max(checkpoint.seq, lastSeq))
        held.pass(baseSeq, value)
        var next = first.id.seq
        var erased = proof.erased.makeIterator()
        for position in positions {
            let op = ops[position]
            guard op.id.seq == next else {
                throw TransportError(.malformed, "BATCH \(batch): the ops of \(key.replica) skip from \(next) to \(op.id.seq)")
            }
            if case .erased = op.payload {
                guard let digest = erased.next() else {
                    throw TransportError(.forged, "BATCH \(batch): an erased op of \(key.replica) comes without the digest its author signed")
                }
                hasher.chain(&value, digest: digest[...])
            } else {
                hasher.chain(&value, op)
            }
            next = op.lastSeq &+ 1
            held.pass(op.lastSeq, value)
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
        // The tail's digests carry no seqs: points inside it cannot be judged, only the checkpoint.
        held.skip(below: checkpoint.seq)
        held.pass(checkpoint.seq, checkpoint.hash)
        if held.conflict == nil { heads[key] = head }
        return held.conflict
    }

    /// What this store already verified of a replica within `seqs`: its signed checkpoints and
    /// its chain head.
    private func heldPoints(_ key: Key, seqs: ClosedRange<UInt64>) throws(TransportError) -> HeldPoints {
        var points = try storeCall { () throws(StoreError) in try store.checkpoints(in: key.space, of: key.replica, seqs: seqs) }
            .map { (seq: $0.seq, hash: $0.hash) }
        if let head = try storeCall({ () throws(StoreError) in try store.chainHead(in: key.space, of: key.replica) }), seqs.contains(head.seq) {
            points.append((head.seq, head.hash))
        }
        return HeldPoints(points: points.sorted { $0.seq < $1.seq })
    }
}

/// Points of a replica's chain this store holds, passed in seq order by a chain being checked:
/// the chain must reach each one at an op boundary with the same hash.
private struct HeldPoints {
    let points: [(seq: UInt64, hash: [UInt8])]
    private var next = 0
    /// The first point the chain contradicts.
    private(set) var conflict: UInt64? = nil

    init(points: [(seq: UInt64, hash: [UInt8])]) { self.points = points }

    /// The chain has `hash` after the op ending at `seq`; every point before `seq` that it has not
    /// passed yet lies inside that op, where the chain has no boundary.
    mutating func pass(_ seq: UInt64, _ hash: [UInt8]) {
        while next < points.count && points[next].seq <= seq {
            if conflict == nil && (points[next].seq < seq || points[next].hash != hash) { conflict = points[next].seq }
            next += 1
        }
    }

    mutating func skip(below seq: UInt64) {
        while next < points.count && points[next].seq < seq { next += 1 }
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
