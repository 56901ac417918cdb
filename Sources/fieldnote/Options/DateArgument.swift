import ArgumentParser
import Foundation

/// A date typed after `--since` or `--until`, in any form the client prints.
///
/// People copy dates from what fieldnote showed them: `2026-05-01 10:22` from `list`, an ISO 8601
/// time in UTC from `--json`, a week like `2026-W49` from `report`, or just a day. Each names a
/// span — a minute, a day, a week, an instant — so `--since` takes its start and `--until` its
/// end: `--until 2026-05-01` includes that whole day, as a person means it.
struct DateArgument: ExpressibleByArgument {
    /// The first instant the text names.
    var start: Date
    /// The first instant after the span it names.
    var end: Date

    static let forms = "2026-05-01, 2026-05-01 10:22, 2026-W18, or ISO 8601 like 2026-05-01T09:22:33Z"

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if let week = DateArgument.week(text) {
            (start, end) = week
            return
        }
        for (pattern, length) in [("yyyy-MM-dd", 86_400.0), ("yyyy-MM-dd HH:mm", 60), ("yyyy-MM-dd'T'HH:mm", 60),
                                  ("yyyy-MM-dd HH:mm:ss", 1), ("yyyy-MM-dd'T'HH:mm:ss", 1)]
        where text.count == pattern.replacingOccurrences(of: "'", with: "").count {
            if let date = DateArgument.local(pattern).date(from: text) {
                start = date
                // A day is a calendar day in the local zone (23 or 25 hours across a clock change).
                end = length == 86_400 ? Calendar.current.date(byAdding: .day, value: 1, to: date)! : date.addingTimeInterval(length)
                return
            }
        }
        let full = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            full.formatOptions = options
            if let date = full.date(from: text) {
                // The millisecond it names, as `--json` prints them.
                (start, end) = (date, date.addingTimeInterval(0.001))
                return
            }
        }
        return nil
    }

    private static func local(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.isLenient = false
        formatter.dateFormat = pattern
        return formatter
    }

    /// `2026-W18`: Monday 00:00 local time to the next Monday.
    private static func week(_ text: String) -> (Date, Date)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]),
              parts[1].first == "W" || parts[1].first == "w", let week = Int(parts[1].dropFirst()), (1...53).contains(week)
        else { return nil }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = .current
        guard let monday = calendar.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year)),
              calendar.component(.weekOfYear, from: monday) == week,
              let next = calendar.date(byAdding: .day, value: 7, to: monday) else { return nil }
        return (monday, next)
    }

    static var defaultCompletionKind: CompletionKind { .default }

    static var defaultValueDescription: String { "date" }
}
