import Foundation
import Storage
import SyncCore

/// The sending side of authorship (Protocol.md 2.8), for one session: signs this device's own
/// ops before they are served, and proves every batch with the authors' checkpoints.
final class ChainProver {
    /// Own ops per checkpoint: bounds the tail of digests a batch carries (8 KiB at most from
    /// the author), at a signature per 256 ops signed once.
    static let checkpointInterval = 256

    private struct Key: Hashable {
        let space: SpaceID
        let replica: ReplicaID
    }

    private let store: Store
    private let identity: DeviceIdentity
    private let hasher = ChainHasher()
    /// Replicas whose chain base the receiver has had in this session.
    private var based: Set<Key> = []
    /// Replicas whose ops could not be proved: the rest of them waits for the next session, whose
    /// first batch gives the receiver a new base.
    private var stopped: Set<Key> = []

    init(store: Store, identity: DeviceIdentity) {
        self.store = store
        self.identity = identity
    }

    /// Signs this store's own ops in `space` that no checkpoint covers yet: a checkpoint every
    /// `checkpointInterval` ops and one at the last.
    func signOwnOps(in space: SpaceID) throws(TransportError) {
        let own = store.replica
        let head = try storeCall { () throws(StoreError) in try store.versionVector(space) }[own]
        guard head > 0 else { return }
        guard own == identity.replica else {
            throw TransportError(.identity, "this store's replica id \(own.hex) is not the one this device's key speaks for (\(identity.replica.hex)), so no peer would accept its notes; make a new store with this version of fieldnote")
        }
        let last = try storeCall { () throws(StoreError) in try store.checkpoint(in: space, of: own, atOrBelow: head) }
        var seq = last?.seq ?? 0
        guard seq < head else { return }
        var value = last?.hash ?? ChainHasher.zero
        var checkpoints: [AuthorCheckpoint] = []
        var sinceCheckpoint = 0
        while seq < head {
            let window = seq + 1...min(head, seq + 16_384)
            let ops = try storeCall { () throws(StoreError) in try store.ops(of: own, in: space, seqs: window) }.filter { $0.id.seq > seq }
            guard !ops.isEmpty, let digests = try digests(of: ops, space: space) else {
                throw TransportError(.internal, "the log of \(own) in \(space) cannot be signed from \(seq + 1): an op or an erased op's digest is missing")
            }
            for (op, digest) in zip(ops, digests) {
                hasher.chain(&value, digest: digest[...])
                seq = op.lastSeq
                sinceCheckpoint += 1
                if sinceCheckpoint == Self.checkpointInterval || seq == head {
                    checkpoints.append(try identity.checkpoint(space: space, seq: seq, hash: value))
                    sinceCheckpoint = 0
                }
            }
        }
        try storeCall { () throws(StoreError) in try store.saveCheckpoints(checkpoints) }
    }

    /// The proofs for a batch of `ops` of `space`, and the ops that can be proved: all of them,
    /// except a replica's ops past the last checkpoint this store holds (only own ops written
    /// while the session runs, which the next session sends).
    func prove(_ ops: [Op], space: SpaceID) throws(TransportError) -> (ops: [Op], proofs: [ChainProof]) {
        // Each replica's first and last seq in the batch, and whether it holds erased ops.
        var order: [ReplicaID] = []
        var spans: [ReplicaID: (first: UInt64, last: UInt64, erased: Bool)] = [:]
        // Runs of one replica are the rule: the dictionary is touched once per run, not per op.
        var run: (replica: ReplicaID, first: UInt64, last: UInt64, erased: Bool)? = nil
        func close() {
            guard let run else { return }
            if let span = spans[run.replica] {
                spans[run.replica] = (span.first, run.last, span.erased || run.erased)
            } else {
                order.append(run.replica)
                spans[run.replica] = (run.first, run.last, run.erased)
            }
        }
        for op in ops {
            if run?.replica == op.id.replica {
                run!.last = op.lastSeq
                if op.isErased { run!.erased = true }
                continue
            }
            close()
            run = (op.id.replica, op.id.seq, op.lastSeq, op.isErased)
        }
        close()
        var proofs: [ChainProof] = []
        var unproved = Set<ReplicaID>()
        for replica in order {
            let span = spans[replica]!
            let lastSeq = span.last
            var found = try storeCall { () throws(StoreError) in try store.checkpoint(in: space, of: replica, atOrAbove: lastSeq) }
            if found == nil && replica == store.replica {
                try signOwnOps(in: space)
                found = try storeCall { () throws(StoreError) in try store.checkpoint(in: space, of: replica, atOrAbove: lastSeq) }
            }
            let key = Key(space: space, replica: replica)
            if stopped.contains(key) { unproved.insert(replica); continue }
            let base = based.contains(key) ? nil : try chainValue(of: replica, in: space, through: span.first - 1)
            let erasedOps = span.erased ? ops.filter { $0.id.replica == replica && $0.isErased } : []
            guard let checkpoint = found, let erased = try erasedDigests(of: erasedOps, space: space),
                  let tail = try digests(of: replica, in: space, seqs: lastSeq + 1...max(lastSeq + 1, checkpoint.seq), through: checkpoint.seq),
                  based.contains(key) || base != nil
            else {
                unproved.insert(replica)
                stopped.insert(key)
                continue
            }
            based.insert(key)
            proofs.append(ChainProof(replica: replica, base: base, erased: erased, tail: tail, checkpoint: checkpoint))
        }
        return (unproved.isEmpty ? ops : ops.filter { !unproved.contains($0.id.replica) }, proofs)
    }

    /// The chain value of `replica` in `space` after the op that ends at `seq`: from the nearest
    /// checkpoint at or below it, through the ops after that. Nil when an op or a digest is missing.
    private func chainValue(of replica: ReplicaID, in space: SpaceID, through seq: UInt64) throws(TransportError) -> [UInt8]? {
        guard seq > 0 else { return ChainHasher.zero }
        let below = try storeCall { () throws(StoreError) in try store.checkpoint(in: space, of: replica, atOrBelow: seq) }
        let from = below?.seq ?? 0
        var value = below?.hash ?? ChainHasher.zero
        guard from < seq else { return value }
        guard let digests = try digests(of: replica, in: space, seqs: from + 1...seq, through: seq) else { return nil }
        for digest in digests { hasher.chain(&value, digest: digest[...]) }
        return value
    }

    /// The digests of the ops of `replica` in `space` from `seqs.lowerBound` through `last` (none
    /// when `last` is below the range), which must end an op there; nil when they cannot be had.
    private func digests(of replica: ReplicaID, in space: SpaceID, seqs: ClosedRange<UInt64>, through last: UInt64) throws(TransportError) -> [[UInt8]]? {
        guard last >= seqs.lowerBound else { return [] }
        let ops = try storeCall { () throws(StoreError) in try store.ops(of: replica, in: space, seqs: seqs) }.filter { $0.id.seq >= seqs.lowerBound }
        guard ops.first?.id.seq == seqs.lowerBound, ops.last?.lastSeq == last else { return nil }
        return try digests(of: ops, space: space)
    }

    /// Each op's digest: hashed here, or for an erased op the one its store kept.
    private func digests(of ops: [Op], space: SpaceID) throws(TransportError) -> [[UInt8]]? {
        guard let erased = try erasedDigests(of: ops, space: space) else { return nil }
        var next = erased.makeIterator()
        return ops.map { $0.isErased ? next.next()! : hasher.digest(of: $0) }
    }

    /// The kept digests of the erased ops among `ops` (all of one replica), in order; nil when one is missing.
    private func erasedDigests(of ops: [Op], space: SpaceID) throws(TransportError) -> [[UInt8]]? {
        let erased = ops.filter(\.isErased)
        guard let first = erased.first, let last = erased.last else { return [] }
        var kept = try storeCall { () throws(StoreError) in
            try store.erasedDigests(in: space, of: first.id.replica, seqs: first.id.seq...last.id.seq)
        }
        // An op served erased because a peer would refuse it (past the note size limit) is whole
        // in this store's log: its digest is that of the op as stored.
        if erased.contains(where: { kept[$0.id.seq] == nil }) {
            let stored = try storeCall { () throws(StoreError) in
                try store.ops(of: first.id.replica, in: space, seqs: first.id.seq...last.lastSeq)
            }
            for op in stored where kept[op.id.seq] == nil && !op.isErased { kept[op.id.seq] = hasher.digest(of: op) }
        }
        let digests = erased.compactMap { kept[$0.id.seq] }
        return digests.count == erased.count ? digests : nil
    }
}
