/// A hybrid logical clock (Kulkarni et al., 2014) with a bound on how far ahead a peer may be.
///
/// Last-writer-wins fields are decided by these timestamps, so a single device whose clock is
/// set a year ahead would otherwise win every write, and drag every clock it syncs with a year
/// ahead too. `receive` refuses such a timestamp instead of adopting it.
public struct HybridLogicalClock: Sendable {
    /// 24 hours: generous for travel and badly set laptops, small enough to bound the damage.
    public static let defaultMaximumDrift: UInt64 = 24 * 60 * 60 * 1000

    public private(set) var last: Timestamp
    /// How far, in milliseconds, a remote timestamp may run ahead of local wall time.
    public var maximumDrift: UInt64

    public init(last: Timestamp = .zero, maximumDrift: UInt64 = HybridLogicalClock.defaultMaximumDrift) {
        self.last = last
        self.maximumDrift = maximumDrift
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

    /// Takes in a timestamp from another replica, so that later local events order after it.
    ///
    /// - Throws: `clockSkew` when `remote` is more than `maximumDrift` ahead of `wallMillis`;
    ///   the clock is then left as it was.
    public mutating func receive(_ remote: Timestamp, wallMillis: UInt64) throws(SyncCoreError) {
        try check(remote, wallMillis: wallMillis)
        if remote > last { last = remote }
    }

    /// Whether `remote` is acceptable, without changing the clock.
    public func check(_ remote: Timestamp, wallMillis: UInt64) throws(SyncCoreError) {
        let (limit, overflow) = wallMillis.addingReportingOverflow(maximumDrift)
        if !overflow && remote.millis > limit {
            let aheadSeconds = (remote.millis - wallMillis) / 1000
            throw SyncCoreError(
                .clockSkew,
                "a peer's clock is \(HybridLogicalClock.describe(seconds: aheadSeconds)) ahead of this device (the limit is \(HybridLogicalClock.describe(seconds: maximumDrift / 1000))); check the date on both devices"
            )
        }
    }

    static func describe(seconds: UInt64) -> String {
        switch seconds {
        case ..<120: return "\(seconds) s"
        case ..<7200: return "\(seconds / 60) min"
        case ..<172_800: return "\(seconds / 3600) h"
        default: return "\(seconds / 86_400) days"
        }
    }
}

extension Timestamp {
    /// The next timestamp in the same millisecond; past the counter's range, the next millisecond.
    var successor: Timestamp {
        counter == .max ? Timestamp(millis: millis + 1, counter: 0) : Timestamp(millis: millis, counter: counter + 1)
    }
}
