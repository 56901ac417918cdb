import Foundation
import Transport

/// When and where this device last synced with a peer, as `peers list` shows it: the
/// address `sync NAME` goes to, and how long ago it last worked, which tells a worker whose
/// notes she may be missing.
extension Peer {
    var lastSyncDate: Date? { lastSyncMillis.map { Date(timeIntervalSince1970: Double($0) / 1000) } }

    /// `2 h ago at 10.0.0.7:7420`; `not yet` before a sync from here has reached the peer (a
    /// sync the peer started is not counted: a server does not learn where a client listens).
    func lastSyncText(now: Date = Date()) -> String {
        guard let date = lastSyncDate, let lastAddress else { return "not yet" }
        return "\(RelativeTime.ago(date, now: now)) at \(lastAddress)"
    }

    /// For `peers list --json`: ISO 8601 in UTC and `HOST:PORT`, null before.
    var lastSyncJSON: [String: Any] {
        [
            "last_sync": lastSyncDate.map { Dates.iso8601($0) as Any } ?? NSNull(),
            "last_address": lastAddress.map { $0 as Any } ?? NSNull(),
        ]
    }
}

enum RelativeTime {
    /// `just now`, `5 min ago`, `2 h ago`, `3 days ago`; from four weeks on, the day
    /// (`2026-01-05`), which says more than a count of weeks. A time ahead of `now` (a clock
    /// set back since) reads as just now.
    static func ago(_ date: Date, now: Date = Date()) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return "\(seconds / 60) min ago"
        case ..<86_400: return "\(seconds / 3600) h ago"
        case ..<(28 * 86_400): return Units.plural(seconds / 86_400, "day") + " ago"
        default:
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd"
            return "on " + formatter.string(from: date)
        }
    }
}
