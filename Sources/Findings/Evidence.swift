import Foundation
import Storage
import SyncCore

/// Whether planned supervision took place (the `supervision` field).
public enum SupervisionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case held
    case cancelled
    case notScheduled = "not_scheduled"
}

/// The workload numbers an evidence record carries: the metric fields of `FieldCatalog`, and nothing else.
///
/// The date of the last supervision (`supervision_date` or `supervision_week` on a note) is not
/// shared at all: only whether it fell within the monthly standard of the record's week
/// (`supervisedWithinMonth`). A date, a week or a count of weeks since would stay the same in
/// every record until the next supervision, and so tie a person's months together, which the
/// reporter keys keep apart (Protocol.md 3.1).
public struct EvidenceMetrics: Sendable, Hashable, Codable {
    /// Children allocated to the worker (the DfE census unit).
    public var caseload: Int?
    /// Families allocated, when the worker counts them too: never added to `caseload`.
    public var caseloadFamilies: Int?
    public var hoursWorked: Double?
    public var hoursPaid: Double?
    /// Hours taken back as time off in lieu this week: kept apart from `unpaidHours`.
    public var hoursToil: Double?
    public var hoursRecording: Double?
    public var hoursDirect: Double?
    public var supervision: SupervisionStatus?
    public var supervisionMinutes: Int?
    /// Whether this week's supervision ran without interruption.
    public var supervisionUninterrupted: Bool?
    /// Whether the last supervision was in the record's week or in the `Report.monthlySupervisionWeeks`
    /// before it; nil when the note gives none, or one after the record's week.
    public var supervisedWithinMonth: Bool?
    /// The ISO week of the last supervision, read from the note: kept on the device, never shared,
    /// turned into `supervisedWithinMonth` once the record's week is known (`judgeSupervision`).
    public var supervisionWeek: ISOWeek? = nil
    /// In the assessed and supported year in employment (ASYE).
    public var newlyQualified: Bool?
    public var unallocatedCases: Int?
    public var lunchBreak: LunchBreak?
    /// Opt-in: shared only when the worker has set it.
    public var intendingToLeave: LeavingIntention?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case caseload
        case caseloadFamilies = "caseload_families"
        case hoursWorked = "hours_worked"
        case hoursPaid = "hours_paid"
        case hoursToil = "hours_toil"
        case hoursRecording = "hours_recording"
        case hoursDirect = "hours_direct"
        case supervision
        case supervisionMinutes = "supervision_minutes"
        case supervisionUninterrupted = "supervision_uninterrupted"
        case supervisedWithinMonth = "supervised_within_month"
        case newlyQualified = "newly_qualified"
        case unallocatedCases = "unallocated_cases"
        case lunchBreak = "lunch_break"
        case intendingToLeave = "intending_to_leave"
    }

    /// The field keys that are shared, in this order. Every other field (`incident`, `week`, `case`) is not,
    /// and the date or week of the last supervision only as `supervised_within_month`.
    public static let keys: [String] = CodingKeys.allCases.map(\.rawValue)

    public init(
        caseload: Int? = nil, caseloadFamilies: Int? = nil, hoursWorked: Double? = nil, hoursPaid: Double? = nil,
        hoursToil: Double? = nil, hoursRecording: Double? = nil, hoursDirect: Double? = nil, supervision: SupervisionStatus? = nil,
        supervisionMinutes: Int? = nil, supervisionUninterrupted: Bool? = nil, supervisionWeek: ISOWeek? = nil,
        newlyQualified: Bool? = nil, unallocatedCases: Int? = nil, lunchBreak: LunchBreak? = nil,
        intendingToLeave: LeavingIntention? = nil, supervisedWithinMonth: Bool? = nil
    ) {
        self.caseload = caseload
        self.caseloadFamilies = caseloadFamilies
        self.hoursWorked = hoursWorked
        self.hoursPaid = hoursPaid
        self.hoursToil = hoursToil
        self.hoursRecording = hoursRecording
        self.hoursDirect = hoursDirect
        self.supervision = supervision
        self.supervisionMinutes = supervisionMinutes
        self.supervisionUninterrupted = supervisionUninterrupted
        self.supervisedWithinMonth = supervisedWithinMonth
        self.supervisionWeek = supervisionWeek
        self.newlyQualified = newlyQualified
        self.unallocatedCases = unallocatedCases
        self.lunchBreak = lunchBreak
        self.intendingToLeave = intendingToLeave
    }

    /// As note fields (for writing through the store).
    public var fields: [String: FieldValue] {
        var fields: [String: FieldValue] = [:]
        func yesNo(_ answer: Bool) -> FieldValue { .string(answer ? "yes" : "no") }
        if let caseload { fields["caseload"] = .int(Int64(caseload)) }
        if let caseloadFamilies { fields["caseload_families"] = .int(Int64(caseloadFamilies)) }
        if let hoursWorked { fields["hours_worked"] = .double(hoursWorked) }
        if let hoursPaid { fields["hours_paid"] = .double(hoursPaid) }
        if let hoursToil { fields["hours_toil"] = .double(hoursToil) }
        if let hoursRecording { fields["hours_recording"] = .double(hoursRecording) }
        if let hoursDirect { fields["hours_direct"] = .double(hoursDirect) }
        if let supervision { fields["supervision"] = .string(supervision.rawValue) }
        if let supervisionMinutes { fields["supervision_minutes"] = .int(Int64(supervisionMinutes)) }
        if let supervisionUninterrupted { fields["supervision_uninterrupted"] = yesNo(supervisionUninterrupted) }
        if let supervisedWithinMonth { fields["supervised_within_month"] = yesNo(supervisedWithinMonth) }
        if let newlyQualified { fields["newly_qualified"] = yesNo(newlyQualified) }
        if let unallocatedCases { fields["unallocated_cases"] = .int(Int64(unallocatedCases)) }
        if let lunchBreak { fields["lunch_break"] = .string(lunchBreak.rawValue) }
        if let intendingToLeave { fields["intending_to_leave"] = .string(intendingToLeave.rawValue) }
        return fields
    }

    public var isEmpty: Bool { fields.isEmpty }

    /// Turns the last supervision's week into what is shared: whether it meets the monthly
    /// standard for a record of `week`; the week itself is dropped.
    public mutating func judgeSupervision(in week: ISOWeek) {
        if let last = supervisionWeek, last <= week {
            supervisedWithinMonth = week.weeks(since: last) <= Report.monthlySupervisionWeeks
        }
        supervisionWeek = nil
    }

    /// Hours worked beyond hours paid (never negative); nil unless both are known. Time off in
    /// lieu is not taken from it: hours owed and hours given back are shown side by side.
    public var unpaidHours: Double? {
        guard let hoursWorked, let hoursPaid else { return nil }
        return max(0, hoursWorked - hoursPaid)
    }
}

/// An anonymised workload record for the `evidence` space: what `share` sends a union rep.
///
/// It holds the ISO week (never a date), the metric fields, the categories and ids of the findings
/// the note is linked to, and an excerpt only when the worker writes one. It never holds the note's
/// id, text, tags, case token or alias. `reporter` is filled in when records are read back from a
/// store: the person's key for the record's month (`SealedEvidence`), which lets a report count
/// distinct people in a month and links nothing across months.
public struct EvidenceRecord: Sendable, Hashable, Codable {
    public var week: ISOWeek
    public var metrics: EvidenceMetrics
    public var categories: [FindingCategory]
    public var findings: [String]
    public var excerpt: String?
    public var reporter: String?
    /// Which of the person's records of its month this is, counted on the device that shared it:
    /// of one person's records of a week the report counts the last, and a record's stamp says
    /// only the week it was shared in. Known only to whoever opens the record, like the rest.
    public var sequence: Int?

    public init(
        week: ISOWeek, metrics: EvidenceMetrics = EvidenceMetrics(), categories: [FindingCategory] = [],
        findings: [String] = [], excerpt: String? = nil, reporter: String? = nil, sequence: Int? = nil
    ) {
        self.week = week
        self.metrics = metrics
        self.categories = Array(Set(categories)).sorted { $0.rawValue < $1.rawValue }
        self.findings = Array(Set(findings)).sorted()
        self.excerpt = excerpt
        self.reporter = reporter
        self.sequence = sequence
    }

    /// The exact bytes shared: compact JSON with sorted keys, no reporter.
    public var sharedJSON: Data {
        var copy = self
        copy.reporter = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(copy)) ?? Data()
    }
}

/// Turning notes into evidence records, and showing what would leave the device.
public enum Evidence {
    public static let maximumExcerptLength = 280

    /// Builds the evidence record for a note.
    ///
    /// - The week is the note's `week` field if set, else the ISO week (UTC) the note was created in.
    /// - Metrics: the fields in `EvidenceMetrics.keys`, nothing else.
    /// - Categories: those of the linked findings (which must all be in `catalog`), plus `extraCategories`.
    /// - `excerpt`: optional, at most 280 characters, written by the worker for sharing. Refused if it
    ///   contains the note's case token, any case-token-shaped text (`C-XXXX-XXXX`), or `alias`, in
    ///   any form `ExcerptScreening` folds; invisible characters are removed from what is shared.
    ///
    /// Throws `invalidEvidence` for a deleted or purged note, a note with neither metrics nor links,
    /// a metric value outside `EvidenceLimits` (which only a peer's op can have set), more than
    /// `EvidenceLimits.maximumFindings` links, a bad excerpt, and `unknownFinding` for a link the
    /// catalog does not know.
    public static func record(
        from note: NoteRecord, catalog: FindingsCatalog, excerpt: String? = nil, alias: String? = nil,
        extraCategories: [FindingCategory] = []
    ) throws(FindingsError) -> EvidenceRecord {
        guard !note.purged else { throw FindingsError(.invalidEvidence, "note \(note.id.short) is purged; there is nothing to share") }
        guard !note.deleted else { throw FindingsError(.invalidEvidence, "note \(note.id.short) is in the bin; restore it before sharing") }
        let week: ISOWeek
        if case .string(let text) = note.fields["week"], let parsed = ISOWeek(text) {
            week = parsed
        } else {
            week = ISOWeek(date: note.createdDate)
        }
        let linked = try catalog.resolve(note.links.sorted())
        guard linked.count <= EvidenceLimits.maximumFindings else {
            throw FindingsError(.invalidEvidence, "note \(note.id.short) links \(linked.count) findings; a shared record links at most \(EvidenceLimits.maximumFindings): unlink some first")
        }
        var metrics: EvidenceMetrics
        do {
            metrics = try EvidenceMetrics(checking: note.fields)
            metrics.judgeSupervision(in: week)
        } catch {
            // Only a peer's device can have written such a value: the store refuses it locally.
            throw FindingsError(.invalidEvidence, "note \(note.id.short) cannot be shared: its \(error.message); write the figures in a new note and share that")
        }
        guard !metrics.isEmpty || !linked.isEmpty else {
            throw FindingsError(.invalidEvidence, "note \(note.id.short) has no metric fields (\(EvidenceMetrics.keys.joined(separator: ", "))) and no linked findings; there is nothing to share")
        }
        let checkedExcerpt = try checkExcerpt(excerpt, caseToken: note.caseToken, alias: alias)
        return EvidenceRecord(week: week, metrics: metrics, categories: linked.map(\.category) + extraCategories,
                              findings: linked.map(\.id), excerpt: checkedExcerpt)
    }

    static func checkExcerpt(_ excerpt: String?, caseToken: String?, alias: String?) throws(FindingsError) -> String? {
        guard let excerpt else { return nil }
        let trimmed = excerpt.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw FindingsError(.invalidEvidence, "the excerpt is empty; leave it out to share no text") }
        guard trimmed.count <= maximumExcerptLength else {
            throw FindingsError(.invalidEvidence, "the excerpt is \(trimmed.count) characters; keep it to \(maximumExcerptLength)")
        }
        if let caseToken, ExcerptScreening.holdsToken(trimmed, token: caseToken) {
            throw FindingsError(.invalidEvidence, "the excerpt contains the note's case token; remove it")
        }
        if containsCaseTokenShape(ExcerptScreening.folded(trimmed).uppercased()) {
            throw FindingsError(.invalidEvidence, "the excerpt contains something shaped like a case token (C-XXXX-XXXX); remove it")
        }
        if let alias, !alias.trimmingCharacters(in: .whitespaces).isEmpty, ExcerptScreening.holdsAlias(trimmed, alias: alias) {
            throw FindingsError(.invalidEvidence, "the excerpt contains the case's alias, or a word of it; remove it")
        }
        // Invisible characters could hide a name from every later check, and mean nothing to a reader.
        return String(String.UnicodeScalarView(trimmed.unicodeScalars.filter { !ExcerptScreening.isInvisible($0) }))
    }

    /// `C-` followed by 4 + 4 characters of the case-token alphabet, with or without the middle dash.
    static func containsCaseTokenShape(_ upper: String) -> Bool {
        let alphabet = Set(CaseToken.alphabet)
        let characters = Array(upper)
        for index in characters.indices where characters[index] == "C" && index + 1 < characters.count && characters[index + 1] == "-"
            && (index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber)) {
            var position = index + 2
            var count = 0
            var dashSeen = false
            while position < characters.count, count < 8 {
                if characters[position] == "-", count == 4, !dashSeen { dashSeen = true; position += 1; continue }
                guard alphabet.contains(characters[position]) else { break }
                count += 1
                position += 1
            }
            if count == 8 { return true }
        }
        return false
    }

    /// Exactly what sharing `record` sends, for the worker to read before saying yes.
    public static func preview(_ record: EvidenceRecord, sealedFor reps: [String] = [], catalog: FindingsCatalog? = nil) -> EvidencePreview {
        var lines = ["This record will be written to the evidence space and passed on by every device granted it:"]
        func row(_ label: String, _ value: String) { lines.append("  " + label + String(repeating: " ", count: max(1, 20 - label.count)) + value) }
        row("week", record.week.description)
        for (key, value) in record.metrics.fields.sorted(by: { $0.key < $1.key }) { row(key, formatField(value)) }
        if record.metrics.isEmpty { row("metrics", "(none)") }
        row("categories", record.categories.isEmpty ? "(none)" : record.categories.map(\.rawValue).joined(separator: ", "))
        if record.findings.isEmpty { row("findings", "(none)") }
        for id in record.findings {
            let title = catalog?.finding(id).map { " — \($0.title)" } ?? ""
            row("finding", id + title)
        }
        row("excerpt", record.excerpt.map { "\"\($0)\"" } ?? "(none)")
        if !reps.isEmpty {
            lines.append("Sealed so that only \(reps.joined(separator: ", ")) (union rep\(reps.count == 1 ? "" : "s")) and your own devices can read it.")
        }
        lines.append("It does not name you or this device: a key made for it alone writes it,")
        lines.append("and a key of yours that changes every month signs it. It also says which")
        lines.append("of your records of that month it is (1, 2, ...), so a week shared twice counts once.")
        lines.append("Not shared: the note's text, date, tags, other fields, its case token and any alias.")
        let json = String(decoding: record.sharedJSON, as: UTF8.self)
        lines.append("As data: \(json)")
        return EvidencePreview(record: record, json: json, lines: lines)
    }

    static func formatField(_ value: FieldValue) -> String {
        if case .double(let number) = value, number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return value.description
    }
}

/// What `share` shows before asking.
public struct EvidencePreview: Sendable, Hashable {
    public var record: EvidenceRecord
    /// The record's shared JSON, byte for byte.
    public var json: String
    public var lines: [String]
    public var text: String { lines.joined(separator: "\n") }
}
