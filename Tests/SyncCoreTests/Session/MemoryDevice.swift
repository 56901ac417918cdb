import SyncCore

/// One op as the session tests see it: which replica wrote it, and its seq. The state machine
/// never looks inside a batch, so this is all a store needs to be for its tests.
struct OpRef: Hashable, Comparable, CustomStringConvertible {
    var replica: ReplicaID
    var seq: UInt64
    static func < (a: OpRef, b: OpRef) -> Bool { (a.seq, a.replica) < (b.seq, b.replica) }
    var description: String { "\(replica.hex.prefix(4)):\(seq)" }
}

/// A device's store in memory: ops by space, grants to its one peer, and what it remembers the
/// peer holding. Applies whole batches only; an op whose earlier seqs are missing is held but
/// not counted in the vector, as a real store keeps it aside.
struct MemoryDevice {
    let replica: ReplicaID
    var ops: [SpaceID: Set<OpRef>] = [:]
    /// Spaces granted to the peer, and whether read-write.
    var grants: [SpaceID: Bool]
    /// A client's memory of the server's vectors (Protocol.md 2.4's bases).
    var remembered: [SpaceID: VersionVector] = [:]

    init(replica: ReplicaID, grants: [SpaceID: Bool]) {
        self.replica = replica
        self.grants = grants
    }

    /// Writes `count` new ops of this device's own in `space`.
    mutating func write(_ count: Int, in space: SpaceID) {
        let next = vector(space)[replica]
        for seq in (next + 1)..<(next + 1 + UInt64(count)) { ops[space, default: []].insert(OpRef(replica: replica, seq: seq)) }
    }

    func vector(_ space: SpaceID) -> VersionVector {
        var seqs: [ReplicaID: Set<UInt64>] = [:]
        for op in ops[space] ?? [] { seqs[op.replica, default: []].insert(op.seq) }
        var entries: [ReplicaID: UInt64] = [:]
        for (replica, held) in seqs {
            var seq: UInt64 = 0
            while held.contains(seq + 1) { seq += 1 }
            if seq > 0 { entries[replica] = seq }
        }
        return VersionVector(entries)
    }

    /// Every op held above `vector`, in the order a sender sends them.
    func ops(in space: SpaceID, above vector: VersionVector) -> [OpRef] {
        (ops[space] ?? []).filter { $0.seq > vector[$0.replica] }.sorted()
    }

    /// Applies a whole batch: (new ops, ops held already).
    mutating func apply(_ batch: [OpRef], in space: SpaceID) -> (applied: Int, duplicates: Int) {
        var applied = 0
        for op in batch where ops[space, default: []].insert(op).inserted { applied += 1 }
        return (applied, batch.count - applied)
    }

    func hello(role: SyncSessionStateMachine.Role) -> Hello {
        let spaces = grants.keys.sorted().map { space in
            HelloSpace(space: space, accepts: grants[space]!, vector: vector(space), base: role == .client ? remembered[space] : nil)
        }
        return Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: replica,
                     maxFrameBytes: UInt64(SyncProtocol.maxFrameBytes), spaces: spaces)
    }
}
