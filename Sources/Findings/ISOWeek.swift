import Foundation
import Storage

/// An ISO 8601 week such as `2026-W47`: the unit evidence records carry instead of a date.
public struct ISOWeek: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The ISO week-numbering year (which differs from the calendar year around New Year).
    public var year: Int
    /// 1–52, or 53 in long years.
    public var week: Int

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The week containing `date`, in UTC.
    public init(date: Date) {
        let components = ISOWeek.calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        year = components.yearForWeekOfYear ?? 1970
        week = components.weekOfYear ?? 1
    }

    /// Parses `2026-W47` or `2026-w47` (also `2026W47`); nil for anything else or a week the year lacks.
    public init?(_ text: String) {
        let upper = text.uppercased().replacingOccurrences(of: "-W", with: "W")
        let parts = upper.split(separator: "W")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), year >= 1900,
              (1...2).contains(parts[1].count), let week = Int(parts[1]), week >= 1 else { return nil }
        self.year = year
        self.week = week
        guard week <= ISOWeek.weeks(in: year) else { return nil }
    }

    /// The week holding a day written `YYYY-MM-DD` (as `FieldCatalog` accepts it); nil for any other text.
    public init?(day text: String) {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard FieldCatalog.isCalendarDate(text), parts.count == 3,
              let date = ISOWeek.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))
        else { return nil }
        self.init(date: date)
    }

    /// Whole weeks from `earlier` to this week: 0 for the same week, negative when `earlier` is later.
    public func weeks(since earlier: ISOWeek) -> Int {
        Int((monday.timeIntervalSince(earlier.monday) / (7 * 86_400)).rounded())
    }

    /// How many ISO weeks `year` has (52 or 53): the week of 28 December.
    public static func weeks(in year: Int) -> Int {
        let december28 = calendar.date(from: DateComponents(year: year, month: 12, day: 28))!
        return calendar.component(.weekOfYear, from: december28)
    }

    /// Monday 00:00 UTC of the week.
    public var monday: Date {
        ISOWeek.calendar.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year))!
    }

    /// The week after this one.
    public var next: ISOWeek { ISOWeek(date: monday.addingTimeInterval(7 * 86_400 + 3_600)) }

    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let week = ISOWeek(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO week: \(text)"))
        }
        self = week
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
