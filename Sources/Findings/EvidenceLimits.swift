import Foundation
import Storage
import SyncCore

/// The limits every evidence record is read by, whoever wrote it.
///
/// `share` builds records from fields the store checked when they were written (`FieldCatalog`),
/// but a peer's ops are applied as they come: a colleague's faulty or hostile device can send a
/// caseload of 1e300, a negative number of hours, `Int64.max` supervision minutes, a week that
/// does not exist or a finding id of any shape. A record holding one of those could only have
/// come from such a device, so it is refused whole, never clamped: a clamped figure would still
/// be a figure nobody reported. Reports leave refused records out and say how many
/// (`Report.refusedRecords`). Checking here, on the reading side, keeps every figure a report
/// computes finite and small (caseloads of children or families 0–200, hours worked, paid or taken
/// back 0–168, a last supervision in a week that exists in 2000–2099, every answer one of its
/// words), so no sum, mean, conversion, week count or chart coordinate can overflow or trap.
public enum EvidenceLimits {
    /// The most findings one record may link. Linking more is refused by `share`, and a record
    /// that holds more is refused by reports: each finding is a report row, so a record linking
    /// thousands would bury the rest.
    public static let maximumFindings = 100
    /// The longest finding id a record may link, as the store's link rule says for local writes.
    public static let maximumFindingIDLength = 80

    /// Why `record` breaks the limits, or nil when it keeps them.
    public static func problem(_ record: EvidenceRecord) -> String? {
        guard ISOWeek(record.week.description) == record.week,
              (try? FieldCatalog.validate(key: "week", value: .string(record.week.description))) != nil else {
            return "the week \(record.week.year)-W\(record.week.week) does not exist or is outside 2000–2099"
        }
        for (key, value) in record.metrics.fields.sorted(by: { $0.key < $1.key }) {
            if let problem = problem(key: key, value: value) { return problem }
        }
        guard record.findings.count <= maximumFindings else {
            return "it links \(record.findings.count) findings; a record links at most \(maximumFindings)"
        }
        if let id = record.findings.first(where: { !isValidFindingID($0) }) {
            return "it links a malformed finding id (\(id.count) characters); an id has 1–\(maximumFindingIDLength) characters and no spaces"
        }
        if let excerpt = record.excerpt, excerpt.count > Evidence.maximumExcerptLength {
            return "its excerpt is \(excerpt.count) characters; an excerpt has at most \(Evidence.maximumExcerptLength)"
        }
        return nil
    }

    /// Why a metric field's value is one no device writes, or nil when `FieldCatalog` accepts it.
    /// The message names the value only as a number or a short, escaped excerpt: it may be
    /// printed, and the value came from someone else's device.
    static func problem(key: String, value: FieldValue) -> String? {
        // Made when a record is shared, from the note's supervision date: no note field of its own.
        if key == "supervised_within_month", case .string(let word) = value, word == "yes" || word == "no" { return nil }
        guard (try? FieldCatalog.validate(key: key, value: value)) == nil else { return nil }
        let shown: String
        switch value {
        case .string(let text): shown = "\"\(PrintableText.safe(String(text.prefix(40))))\"" + (text.count > 40 ? "…" : "")
        default: shown = value.description
        }
        let takes = FieldCatalog.spec(key).map { "\($0.type)" } ?? "no value"
        return "\(key) is \(shown), which no device writes (\(key) takes \(takes))"
    }

    static func isValidFindingID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= maximumFindingIDLength && !id.contains(where: \.isWhitespace)
    }
}

extension EvidenceMetrics {
    /// Picks the metric fields out of a note's or a record's fields, refusing any value outside
    /// `FieldCatalog`'s rules (wrong type, out of range, not finite). Other fields are left behind;
    /// a note's `supervision_date` is taken only as its ISO week, and decides the week when both are set.
    public init(checking fields: [String: FieldValue]) throws(FindingsError) {
        self.init()
        for key in EvidenceMetrics.keys + ["supervision_week", "supervision_date"] {
            guard let given = fields[key], given != .null else { continue }
            if let problem = EvidenceLimits.problem(key: key, value: given) {
                throw FindingsError(.invalidEvidence, problem)
            }
            // As the store writes it (`YES` → `yes`, `2026-w7` → `2026-W07`): a peer's op need not be.
            let value = (try? FieldCatalog.validate(key: key, value: given)) ?? given
            switch (key, value) {
            case ("caseload", .int(let number)): caseload = Int(number)
            case ("caseload_families", .int(let number)): caseloadFamilies = Int(number)
            case ("supervision_minutes", .int(let number)): supervisionMinutes = Int(number)
            case ("unallocated_cases", .int(let number)): unallocatedCases = Int(number)
            case ("hours_worked", _): hoursWorked = EvidenceMetrics.hours(value)
            case ("hours_paid", _): hoursPaid = EvidenceMetrics.hours(value)
            case ("hours_toil", _): hoursToil = EvidenceMetrics.hours(value)
            case ("hours_recording", _): hoursRecording = EvidenceMetrics.hours(value)
            case ("hours_direct", _): hoursDirect = EvidenceMetrics.hours(value)
            case ("supervision", .string(let word)): supervision = SupervisionStatus(rawValue: word)
            case ("supervision_uninterrupted", .string(let word)): supervisionUninterrupted = word == "yes"
            case ("newly_qualified", .string(let word)): newlyQualified = word == "yes"
            case ("lunch_break", .string(let word)): lunchBreak = LunchBreak(rawValue: word)
            case ("intending_to_leave", .string(let word)): intendingToLeave = LeavingIntention(rawValue: word)
            case ("supervision_week", .string(let text)) where ISOWeek(text) != nil: supervisionWeek = ISOWeek(text)
            case ("supervised_within_month", .string(let word)) where word == "yes" || word == "no": supervisedWithinMonth = word == "yes"
            case ("supervision_date", .string(let text)) where ISOWeek(day: text) != nil: supervisionWeek = ISOWeek(day: text)
            default: throw FindingsError(.invalidEvidence, "field \(key) holds \(value), which is not a value it takes")
            }
        }
    }

    /// An hours value `FieldCatalog` accepted: a whole number or a finite decimal, both within 0–168.
    private static func hours(_ value: FieldValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }
}

/// What a store's evidence space holds: the records within `EvidenceLimits`, and how many were
/// refused (malformed, incomplete, or holding values no device writes).
public struct EvidenceReading: Sendable, Hashable {
    public var records: [EvidenceRecord]
    public var refused: Int
    /// Records sealed for other keys: relayed by this device, readable only by their reps.
    public var unreadable: Int

    public init(records: [EvidenceRecord], refused: Int = 0, unreadable: Int = 0) {
        self.records = records
        self.refused = refused
        self.unreadable = unreadable
    }
}

extension EvidenceRecord {
    /// A record from what an `.evidence` entity holds: its fields (`week` and the metrics), its
    /// tags (categories; other tags are ignored), its links (finding ids) and its text (the
    /// excerpt), checked against `EvidenceLimits`. Throws `invalidEvidence` naming the first problem.
    public init(
        fields: [String: FieldValue], tags: [String], links: [String], text: String, reporter: String?
    ) throws(FindingsError) {
        guard case .string(let weekText) = fields["week"], let week = ISOWeek(weekText) else {
            throw FindingsError(.invalidEvidence, "it has no week, or a week that does not exist")
        }
        self.init(week: week, metrics: try EvidenceMetrics(checking: fields), categories: tags.compactMap(FindingCategory.init(rawValue:)),
                  findings: links, excerpt: text.isEmpty ? nil : text, reporter: reporter)
        if let problem = EvidenceLimits.problem(self) { throw FindingsError(.invalidEvidence, problem) }
    }
}
