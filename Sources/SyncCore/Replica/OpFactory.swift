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
    /// Space → next sequence number. A handful of spaces at most, so a linear scan beats hashing
    /// the space's name on every keystroke.
    private var nextSeq: [(space: SpaceID, seq: UInt64)]

    public init(replica: ReplicaID, clock: HybridLogicalClock = HybridLogicalClock(), wallMillis: UInt64, versions: [SpaceID: VersionVector] = [:]) {
        self.replica = replica
        self.clock = clock
        self.wallMillis = wallMillis
        self.nextSeq = versions.map { (space: $0.key, seq: $0.value[replica] + 1) }
    }

    /// The sequence number the next op in `space` will take.
    public func peekSeq(in space: SpaceID) -> UInt64 {
        for entry in nextSeq where entry.space == space { return entry.seq }
        return 1
    }

    private mutating func setNextSeq(_ seq: UInt64, in space: SpaceID) {
        if let index = nextSeq.firstIndex(where: { $0.space == space }) {
            nextSeq[index].seq = seq
        } else {
            nextSeq.append((space, seq))
        }
    }

    /// Makes the op and reserves its sequence numbers.
    public mutating func make(_ payload: OpPayload, in space: SpaceID) -> Op {
        let seq = peekSeq(in: space)
        setNextSeq(seq + payload.span, in: space)
        return Op(id: OpID(space: space, replica: replica, seq: seq), timestamp: clock.tick(wallMillis: wallMillis), payload: payload)
    }

    /// Gives back the numbers of the op just made, when its effect is folded into an earlier op.
    mutating func retract(_ op: Op) {
        if peekSeq(in: op.id.space) == op.lastSeq + 1 { setNextSeq(op.id.seq, in: op.id.space) }
    }

    /// Gives back numbers reserved for an insertion that turned out invalid.
    mutating func retract(seq: UInt64, span: UInt64, in space: SpaceID) {
        if peekSeq(in: space) == seq + span { setNextSeq(seq, in: space) }
    }

    /// Reserves `span` numbers for an op whose payload depends on its own first id (text insertions).
    mutating func reserve(_ span: UInt64, in space: SpaceID) -> (seq: UInt64, timestamp: Timestamp) {
        let seq = peekSeq(in: space)
        setNextSeq(seq + span, in: space)
        return (seq, clock.tick(wallMillis: wallMillis))
    }
}
