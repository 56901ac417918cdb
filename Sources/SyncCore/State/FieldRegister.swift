/// A multi-value register (fields and the bin flag): the writes no later write has overwritten.
///
/// Every write names the entries it overwrites (its `pred`: all the entries its writer held for
/// the register), removes them and adds itself. A write that has seen the value it replaces
/// therefore always wins over it, whatever the clocks say. Writes made without seeing each
/// other (concurrently) both survive, and the visible one is the greatest by (timestamp, replica),
/// so concurrent writes resolve exactly as a last-writer-wins register would, on every replica
/// and in any delivery order; the next write that sees them all replaces them all.
public struct FieldRegister: Hashable, Sendable {
    /// One surviving write: its value, its op's stamp and sequence number (which name it).
    public struct Entry: Hashable, Sendable {
        public var value: FieldValue
        public var stamp: Stamp
        public var seq: UInt64

        public init(value: FieldValue, stamp: Stamp, seq: UInt64) {
            self.value = value
            self.stamp = stamp
            self.seq = seq
        }

        /// The id of the write within its space, as later writes name it in their `pred`.
        public var dot: Dot { Dot(replica: stamp.replica, seq: seq) }

        /// The visible entry is the greatest in this order; the seq only makes it total for
        /// forged ops that repeat a stamp.
        static func precedes(_ lhs: Entry, _ rhs: Entry) -> Bool {
            (lhs.stamp, lhs.seq) > (rhs.stamp, rhs.seq)
        }
    }

    /// The surviving writes, never empty, greatest (the visible one) first.
    public private(set) var entries: [Entry]

    public init(value: FieldValue, stamp: Stamp, seq: UInt64) {
        entries = [Entry(value: value, stamp: stamp, seq: seq)]
    }

    /// A register holding `entries`; nil when there are none.
    public init?(entries: [Entry]) {
        guard !entries.isEmpty else { return nil }
        self.entries = entries.sorted(by: Entry.precedes)
    }

    public var value: FieldValue { entries[0].value }
    public var stamp: Stamp { entries[0].stamp }
    /// What a write that replaces this register must name as its `pred`.
    public var dots: [Dot] { entries.map(\.dot).sorted() }

    /// Applies a write: removes the entries it names and adds it. Returns whether the visible
    /// entry changed.
    @discardableResult
    public mutating func write(_ entry: Entry, overwriting pred: [Dot]) -> Bool {
        let visible = entries[0]
        if !pred.isEmpty { entries.removeAll { pred.contains($0.dot) } }
        if !entries.contains(where: { $0.dot == entry.dot }) {
            let index = entries.firstIndex { Entry.precedes(entry, $0) } ?? entries.endIndex
            entries.insert(entry, at: index)
        }
        return entries[0] != visible
    }
}

extension Optional where Wrapped == FieldRegister {
    /// Applies a write to a register that may not exist yet.
    @discardableResult
    mutating func write(_ entry: FieldRegister.Entry, overwriting pred: [Dot]) -> Bool {
        guard case .some(var register) = self else {
            self = FieldRegister(value: entry.value, stamp: entry.stamp, seq: entry.seq)
            return true
        }
        let changed = register.write(entry, overwriting: pred)
        self = register
        return changed
    }

    /// The `pred` of a write replacing this register: every entry it holds.
    var dots: [Dot] { self?.dots ?? [] }
}
