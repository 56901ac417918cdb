/// A hybrid logical clock reading: wall-clock milliseconds plus a logical counter.
///
/// The counter orders events that share a millisecond, or that happen while the wall clock
/// lags behind a timestamp already seen, so timestamps respect causality (an event that
/// knew of another is always later) while staying close to real time for people reading
/// `history`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Unix time in milliseconds.
    public var millis: UInt64
    public var counter: UInt32

    public static let zero = Timestamp(millis: 0, counter: 0)

    public init(millis: UInt64, counter: UInt32) {
        self.millis = millis
        self.counter = counter
    }

    public var description: String { "\(millis).\(counter)" }

    @inlinable public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.millis, lhs.counter) < (rhs.millis, rhs.counter)
    }
}

/// The order of concurrent register writes and of the op log: timestamp first, replica id to break ties.
public struct Stamp: Hashable, Comparable, Sendable {
    public var timestamp: Timestamp
    public var replica: ReplicaID

    public init(timestamp: Timestamp, replica: ReplicaID) {
        self.timestamp = timestamp
        self.replica = replica
    }

    public static func < (lhs: Stamp, rhs: Stamp) -> Bool {
        (lhs.timestamp, lhs.replica) < (rhs.timestamp, rhs.replica)
    }
}
