/// For one space: replica → the highest sequence number held, with every number below it held too.
///
/// Because each replica's numbers have no gaps and a replica only applies them in order, this
/// one number per replica says exactly which ops a store has, and "what does my peer lack" is
/// a range per replica.
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    public private(set) var entries: [ReplicaID: UInt64]

    public init() { entries = [:] }

    public init(_ entries: [ReplicaID: UInt64]) {
        self.entries = entries.filter { $0.value > 0 }
    }

    /// The highest contiguous sequence number held from `replica`, 0 for none.
    @inlinable public subscript(replica: ReplicaID) -> UInt64 {
        entries[replica] ?? 0
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The number of ops (sequence numbers) this vector accounts for.
    public var total: UInt64 { entries.values.reduce(0, +) }

    public func contains(_ dot: Dot) -> Bool { dot.seq >= 1 && dot.seq <= self[dot.replica] }

    public func contains(_ range: CharRange) -> Bool {
        range.count > 0 && range.start.seq >= 1 && range.lastSeq <= self[range.replica]
    }

    /// Records that every number up to `seq` from `replica` is held. Never moves backwards.
    /// Returns whether the entry moved.
    @discardableResult
    public mutating func advance(_ replica: ReplicaID, to seq: UInt64) -> Bool {
        // One lookup through the defaulted subscript's in-place access, not a read and then a
        // write (two hashes of the id); every applied op comes through here. Zero is never
        // stored, so a vector equals another exactly when they hold the same ops.
        guard seq > 0 else { return false }
        return Self.raise(&entries[replica, default: 0], to: seq)
    }

    @inline(__always) private static func raise(_ held: inout UInt64, to seq: UInt64) -> Bool {
        guard seq > held else { return false }
        held = seq
        return true
    }

    /// The least vector that covers both: what a store holds after taking everything from another.
    public mutating func merge(_ other: VersionVector) {
        for (replica, seq) in other.entries { advance(replica, to: seq) }
    }

    public func merging(_ other: VersionVector) -> VersionVector {
        var copy = self
        copy.merge(other)
        return copy
    }

    public enum Order: Sendable, Equatable {
        case equal
        /// Every op of self is in the other, and the other has more.
        case before
        /// Every op of the other is in self, and self has more.
        case after
        /// Each has ops the other lacks.
        case concurrent
    }

    /// Version vectors are partially ordered; this says how two relate.
    public func compare(_ other: VersionVector) -> Order {
        var selfAhead = false
        var otherAhead = false
        for replica in Set(entries.keys).union(other.entries.keys) {
            let mine = self[replica]
            let theirs = other[replica]
            if mine > theirs { selfAhead = true }
            if theirs > mine { otherAhead = true }
        }
        switch (selfAhead, otherAhead) {
        case (false, false): return .equal
        case (false, true): return .before
        case (true, false): return .after
        case (true, true): return .concurrent
        }
    }

    /// The sequence numbers self holds and `other` does not, per replica, sorted by replica.
    public func missing(from other: VersionVector) -> [(replica: ReplicaID, seqs: ClosedRange<UInt64>)] {
        entries.compactMap { replica, seq in
            let theirs = other[replica]
            return seq > theirs ? (replica, (theirs + 1)...seq) : nil
        }
        .sorted { $0.replica < $1.replica }
    }

    public var description: String {
        "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ", ") + "}"
    }
}
