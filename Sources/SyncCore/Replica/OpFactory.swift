/// Stamps local edits as ops: the next sequence number in the space and a fresh clock reading.
///
/// The in-memory replica and the store both make their ops here, so numbering and timestamps
/// follow one rule. The caller owns persistence: it seeds `nextSeq` from its version vectors and
/// keeps `clock` between commands.
public struct OpFactory: Sendable {
    public let replica: ReplicaID
    public var clock: HybridLogicalClock
    /// The wall time stamped on the next op; callers set it from the system clock per command.
    public var wallMillis: UInt64
    private var nextSeq: [SpaceID: UInt64]

    public init(replica: ReplicaID, clock: HybridLogicalClock = HybridLogicalClock(), wallMillis: UInt64, versions: [SpaceID: VersionVector] = [:]) {
        self.replica = replica
        self.clock = clock
        self.wallMillis = wallMillis
        self.nextSeq = versions.mapValues { $0[replica] + 1 }
    }

    /// The sequence number the next op in `space` will take.
    public func peekSeq(in space: SpaceID) -> UInt64 { nextSeq[space] ?? 1 }

    /// Makes the op and reserves its sequence numbers.
    public mutating func make(_ payload: OpPayload, in space: SpaceID) -> Op {
        let seq = peekSeq(in: space)
        nextSeq[space] = seq + payload.span
        return Op(id: OpID(space: space, replica: replica, seq: seq), timestamp: clock.tick(wallMillis: wallMillis), payload: payload)
    }

    /// Gives back the numbers of the op just made, when its effect is folded into an earlier op.
    mutating func retract(_ op: Op) {
        if nextSeq[op.id.space] == op.lastSeq + 1 { nextSeq[op.id.space] = op.id.seq }
    }

    /// Reserves `span` numbers for an op whose payload depends on its own first id (text insertions).
    mutating func reserve(_ span: UInt64, in space: SpaceID) -> (seq: UInt64, timestamp: Timestamp) {
        let seq = peekSeq(in: space)
        nextSeq[space] = seq + span
        return (seq, clock.tick(wallMillis: wallMillis))
    }
}
