/// The id of a note, case, finding or evidence record.
///
/// The first 48 bits are Unix milliseconds, like UUIDv7, so ids made later sort later:
/// SQLite appends them at the right edge of its B-trees instead of splitting pages at random.
/// The remaining 80 bits are random, so two devices never collide. People are shown a prefix of
/// the random part (`short`), never of the time: every note written in the same minute shares
/// its first time digits, so a prefix of them would name a neighbour after the slightest typo.
public struct EntityID: Hashable, Comparable, Sendable, CustomStringConvertible {
    @usableFromInline var value: Bytes16

    public init(high: UInt64, low: UInt64) {
        self.value = Bytes16(high: high, low: low)
    }

    public static func make(millis: UInt64, using generator: inout some RandomNumberGenerator) -> EntityID {
        let randomHigh = UInt64(truncatingIfNeeded: generator.next() as UInt16)
        return EntityID(high: (millis & 0xFFFF_FFFF_FFFF) << 16 | randomHigh, low: generator.next())
    }

    public static func make(millis: UInt64) -> EntityID {
        var generator = SystemRandomNumberGenerator()
        return make(millis: millis, using: &generator)
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
    /// The creation time embedded in the id, in Unix milliseconds.
    public var millis: UInt64 { value.high >> 16 }
    /// The 80 random bits as 20 hex digits (hex digits 13–32 of `hex`).
    public var randomHex: String { String(hex.dropFirst(12)) }
    /// The first 8 random digits: how messages name an entity, and the id the terminal client
    /// shows unless an entity this device knew earlier shares them (then it shows more).
    public var short: String { String(randomHex.prefix(8)) }
    public var description: String { hex }

    public static func < (lhs: EntityID, rhs: EntityID) -> Bool { lhs.value < rhs.value }
}
