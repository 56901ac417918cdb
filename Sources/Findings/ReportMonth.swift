import Foundation

/// A report's reporting period: a calendar month (UTC). An ISO week belongs to the month of its
/// Thursday, as it belongs to the year of its Thursday, so every week lies in exactly one month.
///
/// Reports are built from whole months, each suppressed on its own, so no two reports — whatever
/// their windows — differ by anything but whole months whose figures are shown anyway.
public struct ReportMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public var next: ReportMonth { month == 12 ? ReportMonth(year: year + 1, month: 1) : ReportMonth(year: year, month: month + 1) }

    /// `2026-11`: the key in CSV and JSON.
    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    static let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                        "October", "November", "December"]

    /// `November 2026`: how people read it (in English, whatever the machine's locale).
    public var label: String { "\(ReportMonth.names[month - 1]) \(year)" }

    public static func < (lhs: ReportMonth, rhs: ReportMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

extension ReportMonth {
    /// The month holding `date` (UTC; the ISO calendar's months are the Gregorian ones).
    public init(date: Date) {
        let parts = ISOWeek.calendar.dateComponents([.year, .month], from: date)
        self.init(year: parts.year!, month: parts.month!)
    }

    /// The month of the week's Thursday.
    public init(week: ISOWeek) {
        self.init(date: week.monday.addingTimeInterval(3 * 86_400 + 43_200))
    }
}
