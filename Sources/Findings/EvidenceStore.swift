import Foundation
import Storage
import SyncCore

/// Where user-added findings live. The CLI's `findings add` / `findings import` write through it,
/// and `FindingsCatalog(userFindings:)` reads from it.
public protocol FindingsStore {
    /// Every user-added finding this device holds (its own and those synced from peers).
    func userFindings() throws(FindingsError) -> [Finding]
    /// Stores findings already checked by `FindingsCatalog.adding(_:)` / `FindingsImport.parse`.
    func addUserFindings(_ findings: [Finding]) throws(FindingsError)
}

/// Where evidence records live: the `evidence` space.
public protocol EvidenceStore {
    /// Writes one record (what `share` does after the worker says yes); returns its id as hex.
    @discardableResult
    func addEvidence(_ record: EvidenceRecord) throws(FindingsError) -> String
    /// Every live evidence record held, with `reporter` set to the id of the device that wrote it.
    func evidenceRecords() throws(FindingsError) -> [EvidenceRecord]
}

/// Both stores in memory, for tests and for the demo.
public final class InMemoryFindingsStore: FindingsStore, EvidenceStore {
    public private(set) var findings: [Finding] = []
    public private(set) var records: [EvidenceRecord] = []
    /// The reporter id given to records added here.
    public var reporter: String

    public init(reporter: String = "local") { self.reporter = reporter }

    public func userFindings() throws(FindingsError) -> [Finding] { findings }

    public func addUserFindings(_ new: [Finding]) throws(FindingsError) {
        let taken = Set(findings.map(\.id))
        if let clash = new.first(where: { taken.contains($0.id) }) {
            throw FindingsError(.duplicateFinding, "finding \(clash.id) already exists")
        }
        findings += new
    }

    @discardableResult
    public func addEvidence(_ record: EvidenceRecord) throws(FindingsError) -> String {
        var record = record
        record.reporter = record.reporter ?? reporter
        records.append(record)
        return String(records.count)
    }

    public func evidenceRecords() throws(FindingsError) -> [EvidenceRecord] { records }
}

/// Findings and evidence kept in a fieldnote `Store` through its current public API only.
///
/// Until Storage can create entities of kind `.finding` and `.evidence` (see the report to the
/// Storage engineer), both are stored as notes carrying a marker tag, so they replicate like notes:
/// - a user finding: a note in `findingsSpace` tagged `fieldnote-finding`, whose text is the
///   finding's JSON;
/// - an evidence record: a note in the `evidence` space tagged `fieldnote-evidence` plus one tag per
///   category, the metric fields and `week` as fields, the finding ids as links, and the excerpt (or
///   nothing) as text. No case token is set.
/// The reporter of a record is the replica that made its first op (`Store.history`).
///
/// Known limits of this stop-gap: the marker notes show in `list` and `search` unless the client
/// filters the marker tags; writing a record takes 1 + (number of findings) transactions.
public struct StoreFindingsAdapter: FindingsStore, EvidenceStore {
    public static let findingTag = "fieldnote-finding"
    public static let evidenceTag = "fieldnote-evidence"

    public let store: Store
    public let findingsSpace: SpaceID

    public init(store: Store, findingsSpace: SpaceID = .team) {
        self.store = store
        self.findingsSpace = findingsSpace
    }

    public func userFindings() throws(FindingsError) -> [Finding] {
        let notes = try storage { () throws(StoreError) in try store.notes(space: findingsSpace, tag: Self.findingTag, limit: nil) }
        var seen = Set<String>()
        var findings: [Finding] = []
        // Oldest first, so the first writer of an id wins on every device.
        for note in notes.reversed() {
            guard let finding = try? JSONDecoder().decode(Finding.self, from: Data(note.text.utf8)),
                  finding.problems().isEmpty, !FindingsCatalog.builtInIDs.contains(finding.id), seen.insert(finding.id).inserted
            else { continue }
            findings.append(finding)
        }
        return findings
    }

    public func addUserFindings(_ findings: [Finding]) throws(FindingsError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let drafts = findings.map { finding in
            NoteDraft(text: String(decoding: (try? encoder.encode(finding)) ?? Data(), as: UTF8.self),
                      space: findingsSpace, tags: [Self.findingTag])
        }
        _ = try storage { () throws(StoreError) in try store.addNotes(drafts) }
    }

    @discardableResult
    public func addEvidence(_ record: EvidenceRecord) throws(FindingsError) -> String {
        var fields = record.metrics.fields
        fields["week"] = .string(record.week.description)
        let tags = [Self.evidenceTag] + record.categories.map(\.rawValue)
        let id = try storage { () throws(StoreError) in
            try store.addNote(text: record.excerpt ?? "", space: .evidence, caseToken: nil, tags: tags, fields: fields)
        }
        for finding in record.findings {
            try storage { () throws(StoreError) in try store.link(note: id, to: finding) }
        }
        return id.hex
    }

    public func evidenceRecords() throws(FindingsError) -> [EvidenceRecord] {
        let notes = try storage { () throws(StoreError) in try store.notes(space: .evidence, tag: Self.evidenceTag, limit: nil) }
        var records: [EvidenceRecord] = []
        for note in notes {
            guard case .string(let text) = note.fields["week"], let week = ISOWeek(text) else { continue }
            let reporter = try storage { () throws(StoreError) in try store.history(note.id).first?.replica.hex }
            records.append(EvidenceRecord(
                week: week, metrics: EvidenceMetrics(fields: note.fields),
                categories: note.tags.compactMap(FindingCategory.init(rawValue:)),
                findings: note.links, excerpt: note.text.isEmpty ? nil : note.text, reporter: reporter))
        }
        return records
    }

    private func storage<T>(_ body: () throws(StoreError) -> T) throws(FindingsError) -> T {
        do { return try body() } catch { throw FindingsError(.storage, error.message) }
    }
}
