/// One store on one device. Random, so two devices never need to agree on a name.
///
/// Replica ids also break ties: when two writes carry the same hybrid timestamp, the one
/// from the greater replica id wins, on every device alike.
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    @usableFromInline var value: Bytes16

    @inlinable init(value: Bytes16) { self.value = value }

    public init(high: UInt64, low: UInt64) {
        self.value = Bytes16(high: high, low: low)
    }

    /// A fresh random id.
    public static func random() -> ReplicaID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random(using generator: inout some RandomNumberGenerator) -> ReplicaID {
        ReplicaID(high: generator.next(), low: generator.next())
    }

    @inlinable public init?(bytes: some Collection<UInt8>) {
        guard let value = Bytes16(bytes: bytes) else { return nil }
        self.value = value
    }

    public init?(hex: some StringProtocol) {
        guard let value = Bytes16(hex: hex) else { return nil }
        self.value = value
    }

    public var high: UInt64 { value.high }
    public var low: UInt64 { value.low }
    public var bytes: [UInt8] { value.bytes }
    public var hex: String { value.hex }
    public var description: String { String(hex.prefix(8)) }

    @inlinable public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.value < rhs.value }
}

extension ReplicaID {
    /// The id in 16 bytes of raw memory (a SQLite blob), nil unless exactly 16 long.
    @inlinable public init?(raw: UnsafeRawBufferPointer) {
        guard let value = Bytes16(raw: raw) else { return nil }
        self.init(value: value)
    }
}
