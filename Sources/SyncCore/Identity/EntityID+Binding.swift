/// Ids bound to the op that creates them.
///
/// An entity's 80 random bits are drawn from SHA-256 of its `create` op's id, so the id names its
/// author: every replica can check that a `create` is the one the id was made for, and no other
/// replica can make a `create` that passes (it would need a second preimage of 80 bits). That is
/// what lets an evidence record's real author win over a forged `create` that reached a device
/// first (`EntityState.applyCreate`). Protocol.md 1.5 gives the bytes.
extension EntityID {
    /// The id for an entity created by the op `create`, at `millis`.
    public static func bound(to create: OpID, millis: UInt64) -> EntityID {
        let time = (millis & 0xFFFF_FFFF_FFFF) << 16
        let digest = bindingDigest(create, time: time)
        var low: UInt64 = 0
        for byte in digest[2..<10] { low = low << 8 | UInt64(byte) }
        return EntityID(high: time | UInt64(digest[0]) << 8 | UInt64(digest[1]), low: low)
    }

    /// Whether this id was made for the op `create` (by `bound(to:millis:)`).
    public func isBound(to create: OpID) -> Bool {
        self == EntityID.bound(to: create, millis: millis)
    }

    /// SHA-256 of "fieldnote entity id", a zero byte, the space's name, a zero byte, the
    /// replica's 16 bytes, the sequence number and the id's time bits (both 8 bytes, big-endian).
    private static func bindingDigest(_ create: OpID, time: UInt64) -> [UInt8] {
        var message = Array("fieldnote entity id".utf8)
        message.append(0)
        message.append(contentsOf: create.space.name.utf8)
        message.append(0)
        message.append(contentsOf: create.replica.bytes)
        for value in [create.seq, time] {
            for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        return SHA256Digest.hash(message)
    }
}
