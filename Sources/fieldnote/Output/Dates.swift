import Foundation
import SyncCore

/// Dates as the client prints them: ISO 8601 in UTC for JSON, local time for people.
enum Dates {
    static func date(_ timestamp: Timestamp) -> Date {
        Date(timeIntervalSince1970: Double(timestamp.millis) / 1000)
    }

    /// `2026-05-01T09:22:33.120Z`: stable, sortable, millisecond precision.
    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func iso8601(_ timestamp: Timestamp) -> String { iso8601(date(timestamp)) }

    /// `2026-05-01 10:22` in the local time zone.
    static func human(_ timestamp: Timestamp) -> String { format(date(timestamp), "yyyy-MM-dd HH:mm") }

    /// `2026-05-01` in the local time zone.
    static func day(_ timestamp: Timestamp) -> String { format(date(timestamp), "yyyy-MM-dd") }

    private static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
