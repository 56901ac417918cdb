/// Where an op sits in its space's log: the replica that made it and its sequence number there.
///
/// Sequence numbers count 1, 2, 3… per replica per space with no gaps. An op may occupy more
/// than one number: a text insertion of n characters takes n consecutive numbers, one per
/// character, so every character has an id of its own (see `CharID`) and a run of typing is a
/// single op. `seq` is the first number the op occupies.
public struct OpID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var space: SpaceID
    public var replica: ReplicaID
    public var seq: UInt64

    public init(space: SpaceID, replica: ReplicaID, seq: UInt64) {
        self.space = space
        self.replica = replica
        self.seq = seq
    }

    public var description: String { "\(space)/\(replica)#\(seq)" }

    public static func < (lhs: OpID, rhs: OpID) -> Bool {
        (lhs.space, lhs.replica, lhs.seq) < (rhs.space, rhs.replica, rhs.seq)
    }
}

/// One sequence number of one replica within a space: the id of a character of note text,
/// or the "dot" that tags one addition to an observed-remove set.
public struct Dot: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var replica: ReplicaID
    public var seq: UInt64

    public init(replica: ReplicaID, seq: UInt64) {
        self.replica = replica
        self.seq = seq
    }

    public var description: String { "\(replica)#\(seq)" }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        (lhs.replica, lhs.seq) < (rhs.replica, rhs.seq)
    }
}

/// A character of note text is named by the dot of the sequence number it took.
public typealias CharID = Dot

/// `count` consecutive characters of one replica, starting at `start`: how deletions name what they remove.
public struct CharRange: Hashable, Sendable, CustomStringConvertible {
    public var start: CharID
    public var count: UInt64

    public init(start: CharID, count: UInt64) {
        self.start = start
        self.count = count
    }

    public var replica: ReplicaID { start.replica }
    /// The last sequence number in the range.
    public var lastSeq: UInt64 { start.seq + (count - 1) }
    public var description: String { "\(start)+\(count)" }
}
