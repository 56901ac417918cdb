import Foundation
import SyncCore

/// The type of a known field, with what it accepts.
public enum FieldType: Sendable, Hashable, CustomStringConvertible {
    /// A whole number in the range.
    case integer(ClosedRange<Int64>)
    /// A number (decimals allowed) in the range.
    case number(ClosedRange<Double>)
    /// One of the listed words.
    case choice([String])
    /// Free text up to `maximumLength` characters.
    case text(maximumLength: Int)
    /// An ISO 8601 week such as `2026-W47`.
    case isoWeek
    /// A calendar date such as `2026-03-04` (`YYYY-MM-DD`, years 2000–2099).
    case date

    public var description: String {
        switch self {
        case .integer(let range): "integer \(range.lowerBound)–\(range.upperBound)"
        case .number(let range): "number \(FieldType.format(range.lowerBound))–\(FieldType.format(range.upperBound))"
        case .choice(let words): words.joined(separator: " | ")
        case .text(let length): "text (up to \(length) characters)"
        case .isoWeek: "ISO week, e.g. 2026-W47"
        case .date: "date, e.g. 2026-03-04"
        }
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int64(number)) : String(number)
    }
}

/// A field key the store knows, with its type and what it means.
public struct FieldSpec: Sendable, Hashable {
    public var key: String
    public var type: FieldType
    public var meaning: String
}

/// The known field keys of a note: workload metrics and context, checked before anything is written.
///
/// Keeping the list in one place lets `fields` print it, lets `add --field` refuse `caseload=lots`
/// with the valid range, and keeps evidence reports comparable across workers. `case` is not here:
/// a note's case is set through its own argument and must name a known case token.
///
/// The fields follow what UK standards measure, so a report can be set beside them: caseload in
/// children (the DfE workforce census), supervision against the LGA employer standard 5 (at least
/// monthly, uninterrupted, 90 minutes; more often in the ASYE year), lunch breaks and time off in
/// lieu apart from unpaid hours (Social Work Watch). No field asks about health or sickness:
/// that is special-category data, and the census absence rate covers it at council level.
public enum FieldCatalog {
    public static let all: [FieldSpec] = [
        FieldSpec(key: "caseload", type: .integer(0...200),
                  meaning: "children allocated to you, each child once (as the DfE census counts)"),
        FieldSpec(key: "caseload_families", type: .integer(0...200),
                  meaning: "families allocated to you, if you count them too; never added to caseload"),
        FieldSpec(key: "hours_worked", type: .number(0...168), meaning: "hours actually worked this week"),
        FieldSpec(key: "hours_paid", type: .number(0...168), meaning: "contracted (paid) hours this week"),
        FieldSpec(key: "hours_toil", type: .number(0...168),
                  meaning: "hours taken back this week as time off in lieu (TOIL); not unpaid hours"),
        FieldSpec(key: "hours_recording", type: .number(0...168), meaning: "hours spent on recording and case management systems"),
        FieldSpec(key: "hours_direct", type: .number(0...168), meaning: "hours of direct work with children and families"),
        FieldSpec(key: "supervision", type: .choice(["held", "cancelled", "not_scheduled"]), meaning: "whether planned supervision took place"),
        FieldSpec(key: "supervision_minutes", type: .integer(0...600), meaning: "minutes of supervision received this week"),
        FieldSpec(key: "supervision_uninterrupted", type: .choice(["yes", "no"]),
                  meaning: "whether this week's supervision ran without interruption"),
        FieldSpec(key: "supervision_date", type: .date,
                  meaning: "date of your last supervision; shared only as its ISO week"),
        FieldSpec(key: "supervision_week", type: .isoWeek,
                  meaning: "ISO week of your last supervision, if you give no supervision_date"),
        FieldSpec(key: "newly_qualified", type: .choice(["yes", "no"]),
                  meaning: "whether you are newly qualified, in your ASYE (first year in practice)"),
        FieldSpec(key: "lunch_break", type: .choice(["taken", "partly", "not_taken"]),
                  meaning: "lunch breaks this week: taken (every working day), partly, not_taken (none)"),
        FieldSpec(key: "intending_to_leave", type: .choice(["yes", "no", "unsure"]),
                  meaning: "opt-in: whether you intend to leave your job within 12 months"),
        FieldSpec(key: "unallocated_cases", type: .integer(0...10_000), meaning: "cases in your team waiting for a worker"),
        FieldSpec(key: "incident", type: .text(maximumLength: 200), meaning: "a short label for a workload incident (no names)"),
        FieldSpec(key: "week", type: .isoWeek, meaning: "the ISO week the note is about"),
    ]

    /// Keys the store sets itself: a note's case, a case's token.
    static let reservedKeys: Set<String> = ["case", "token"]

    public static func spec(_ key: String) -> FieldSpec? { all.first { $0.key == key } }

    /// The valid keys, for error messages.
    public static var keyList: String { all.map(\.key).joined(separator: ", ") }

    /// Parses `KEY=VALUE` as typed on the command line into a checked key and value.
    public static func parse(_ assignment: String) throws(StoreError) -> (key: String, value: FieldValue) {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw StoreError(.invalidFieldValue, "field \"\(assignment)\" must be KEY=VALUE; known keys: \(keyList)")
        }
        let key = assignment[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
        let raw = assignment[assignment.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        let spec = try spec(known: key)
        return (key, try parse(raw, for: spec))
    }

    /// Checks a typed value for `key`, converting a whole number to a decimal for number fields.
    public static func validate(key: String, value: FieldValue) throws(StoreError) -> FieldValue {
        let spec = try spec(known: key)
        // Numbers are checked as numbers: going through their text, as `parse` does for what
        // people type, cost more than the rest of a bulk import's checks together.
        switch (spec.type, value) {
        case (_, .null): return .null
        case (.number(let range), .int(let number)):
            guard range.contains(Double(number)) else { throw refusal(String(number), for: spec) }
            return .double(Double(number))
        case (.number(let range), .double(let number)):
            guard number.isFinite, range.contains(number) else { throw refusal(String(number), for: spec) }
            return .double(number)
        case (.integer(let range), .int(let number)):
            guard range.contains(number) else { throw refusal(String(number), for: spec) }
            return .int(number)
        case (.choice(let words), .string(let text)) where words.contains(text):
            return .string(text)
        case (.choice, .string(let text)), (.text, .string(let text)), (.isoWeek, .string(let text)), (.date, .string(let text)):
            return try parse(text, for: spec)
        default:
            throw StoreError(.invalidFieldValue, "field \(key) needs \(spec.type), not \(value)")
        }
    }

    private static func spec(known key: String) throws(StoreError) -> FieldSpec {
        guard let spec = spec(key) else {
            throw StoreError(.unknownField, "unknown field \"\(key)\"; known keys: \(keyList)")
        }
        return spec
    }

    private static func refusal(_ raw: String, for spec: FieldSpec) -> StoreError {
        StoreError(.invalidFieldValue, "\(spec.key)=\(raw) is not valid: \(spec.key) takes \(spec.type)")
    }

    private static func parse(_ raw: String, for spec: FieldSpec) throws(StoreError) -> FieldValue {
        let refusal = Self.refusal(raw, for: spec)
        switch spec.type {
        case .integer(let range):
            guard let number = Int64(raw), range.contains(number) else { throw refusal }
            return .int(number)
        case .number(let range):
            guard let number = Double(raw), number.isFinite, range.contains(number) else { throw refusal }
            return .double(number)
        case .choice(let words):
            let word = raw.lowercased().replacingOccurrences(of: "-", with: "_")
            guard words.contains(word) else { throw refusal }
            return .string(word)
        case .text(let maximumLength):
            guard !raw.isEmpty, raw.count <= maximumLength else { throw refusal }
            return .string(raw)
        case .isoWeek:
            guard let week = normalisedWeek(raw) else { throw refusal }
            return .string(week)
        case .date:
            guard isCalendarDate(raw) else { throw refusal }
            return .string(raw)
        }
    }

    /// `2026-W47` (or `2026-w47`) → `2026-W47`; weeks 01–53, years 2000–2099.
    static func normalisedWeek(_ raw: String) -> String? {
        let parts = raw.uppercased().split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), (2000...2099).contains(year), parts[0].count == 4,
              parts[1].hasPrefix("W"), (2...3).contains(parts[1].count), let week = Int(parts[1].dropFirst()), (1...53).contains(week)
        else { return nil }
        return "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }

    /// Whether `raw` is a real date written `YYYY-MM-DD`, years 2000–2099: exactly the text
    /// stored, so a date reads the same on every device (no `2026-3-4`, no time, no zone).
    public static func isCalendarDate(_ raw: String) -> Bool {
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (2000...2099).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}
