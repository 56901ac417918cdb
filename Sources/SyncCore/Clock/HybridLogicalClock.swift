/// A hybrid logical clock (Kulkarni et al., 2014) that a peer's clock cannot drag along.
///
/// Timestamps order only writes made concurrently (a write that had seen another names it in its
/// `pred` and replaces it whatever the clocks say), and the op log's order. A device whose clock
/// is hours or years ahead would otherwise pull every clock it syncs with ahead too, and each of
/// those would stamp its own later writes in that future: so `receive` never moves the clock
/// past local wall time plus `maximumAdvance`. Such a peer's ops are still accepted; only
/// timestamps no clock can read (after the year 9999) are refused, by `check`.
public struct HybridLogicalClock: Sendable {
    /// One minute: enough to keep the usual small differences between honest clocks in causal
    /// order, too little for a wrong clock to matter.
    public static let maximumAdvance: UInt64 = 60 * 1000
    /// 9999-12-31T23:59:59.999Z. Later timestamps (and every one a signed 64-bit store column
    /// cannot hold) are refused.
    public static let latestPlausibleMillis: UInt64 = 253_402_300_799_999

    public private(set) var last: Timestamp

    public init(last: Timestamp = .zero) {
        self.last = last
    }

    /// The timestamp for a local event: never earlier than anything seen, and as close to `wallMillis` as that allows.
    public mutating func tick(wallMillis: UInt64) -> Timestamp {
        if wallMillis > last.millis {
            last = Timestamp(millis: wallMillis, counter: 0)
        } else {
            last = last.successor
        }
        return last
    }

    /// Takes in a timestamp from another replica, so that later local events order after it:
    /// fully when it is at most `maximumAdvance` ahead of `wallMillis`, otherwise only up to
    /// that bound.
    public mutating func receive(_ remote: Timestamp, wallMillis: UInt64) {
        let bound = Timestamp(millis: wallMillis.addingReportingOverflow(Self.maximumAdvance).partialValue, counter: 0)
        let adopted = min(remote, bound)
        if adopted > last { last = adopted }
    }

    /// Refuses a timestamp that no clock can read: one after the year 9999.
    public static func check(_ remote: Timestamp) throws(SyncCoreError) {
        guard remote.millis <= latestPlausibleMillis else {
            throw SyncCoreError(
                .clockSkew, "a peer sent a timestamp after the year 9999; its clock or its software is broken")
        }
    }
}

extension Timestamp {
    /// The next timestamp in the same millisecond; past the counter's range, the next millisecond.
    var successor: Timestamp {
        counter == .max ? Timestamp(millis: millis + 1, counter: 0) : Timestamp(millis: millis, counter: counter + 1)
    }
}
