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
    /// Every live evidence record held that keeps `EvidenceLimits`, with `reporter` set to the id
    /// of the device that wrote it, and how many records were refused.
    func evidence() throws(FindingsError) -> EvidenceReading
}

extension EvidenceStore {
    /// The records of `evidence()`, without the count of those refused.
    public func evidenceRecords() throws(FindingsError) -> [EvidenceRecord] { try evidence().records }
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

    /// Records added here are kept as given, and checked as a store's would be.
    public func evidence() throws(FindingsError) -> EvidenceReading {
        let kept = records.filter { EvidenceLimits.problem($0) == nil }
        return EvidenceReading(records: kept, refused: records.count - kept.count)
    }
}

/// Findings and evidence kept in a fieldnote `Store` as entities of their own kinds, so they
/// replicate like any entity of their space and never show among notes (`list`, `search`,
/// `case show` and `status` select notes only):
/// - a user finding: an entity of kind `.finding` in `findingsSpace` (default `team`), its
///   attributes as text fields (`finding_id`, `title`, `publisher`, … — see `FindingFields`);
/// - an evidence record: an entity of kind `.evidence` in the `evidence` space, with the metric
///   fields and `week` as fields, the categories as tags, the finding ids as links and the excerpt
///   (or nothing) as text. The store refuses a case token on it.
/// The reporter of a record is the replica whose `create` op made it (`NoteRecord.creator`).
/// Each write is one transaction.
public struct StoreFindingsAdapter: FindingsStore, EvidenceStore {
    public let store: Store
    public let findingsSpace: SpaceID

    public init(store: Store, findingsSpace: SpaceID = .team) {
        self.store = store
        self.findingsSpace = findingsSpace
    }

    public func userFindings() throws(FindingsError) -> [Finding] {
        let entities = try storage { () throws(StoreError) in try store.entities(of: .finding, space: findingsSpace) }
        var seen = Set<String>()
        var findings: [Finding] = []
        // Oldest first, so the first writer of an id wins on every device; later ones are left out.
        for entity in entities.sorted(by: { ($0.created, $0.id) < ($1.created, $1.id) }) {
            guard let finding = FindingFields.finding(from: entity.fields), finding.problems().isEmpty,
                  !FindingsCatalog.builtInIDs.contains(finding.id), seen.insert(finding.id).inserted
            else { continue }
            findings.append(finding)
        }
        return findings
    }

    public func addUserFindings(_ findings: [Finding]) throws(FindingsError) {
        let drafts = findings.map { finding in
            NoteDraft(text: "", space: findingsSpace, fields: FindingFields.fields(of: finding), kind: .finding)
        }
        _ = try storage { () throws(StoreError) in try store.addNotes(drafts) }
    }

    @discardableResult
    public func addEvidence(_ record: EvidenceRecord) throws(FindingsError) -> String {
        var fields = record.metrics.fields
        fields["week"] = .string(record.week.description)
        let draft = NoteDraft(text: record.excerpt ?? "", space: .evidence, tags: record.categories.map(\.rawValue),
                              fields: fields, kind: .evidence, links: record.findings)
        let ids = try storage { () throws(StoreError) in try store.addNotes([draft]) }
        return ids[0].hex
    }

    /// A record that breaks `EvidenceLimits` (or is missing its week) is counted and left out.
    /// Records come in the order they were made, so of one person's records for a week the
    /// report counts the last (`Report.latestPerPersonAndWeek`).
    public func evidence() throws(FindingsError) -> EvidenceReading {
        let entities = try storage { () throws(StoreError) in try store.entities(of: .evidence, space: .evidence) }
            .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        var reading = EvidenceReading(records: [])
        for entity in entities {
            do {
                reading.records.append(try EvidenceRecord(fields: entity.fields, tags: entity.tags, links: entity.links,
                                                          text: entity.text, reporter: entity.creator?.hex))
            } catch {
                reading.refused += 1
            }
        }
        return reading
    }

    /// The live evidence records held here with their ids, oldest first: only those this
    /// device shared when `sharedHere` (what `evidence list` shows), else every one (`--received`).
    /// Records that break `EvidenceLimits` are left out and counted.
    public func evidenceEntries(sharedHere: Bool) throws(FindingsError) -> (entries: [(id: EntityID, record: EvidenceRecord)], refused: Int) {
        let entities = try storage { () throws(StoreError) in try store.entities(of: .evidence, space: .evidence) }
            .filter { !sharedHere || $0.creator == store.replica }
            .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        var entries: [(id: EntityID, record: EvidenceRecord)] = []
        var refused = 0
        for entity in entities {
            guard let record = try? EvidenceRecord(fields: entity.fields, tags: entity.tags, links: entity.links, text: entity.text,
                                                   reporter: nil), EvidenceLimits.problem(record) == nil else {
                refused += 1
                continue
            }
            entries.append((entity.id, record))
        }
        return (entries, refused)
    }

    private func storage<T>(_ body: () throws(StoreError) -> T) throws(FindingsError) -> T {
        do { return try body() } catch { throw FindingsError(.storage, error.message) }
    }
}

/// A finding as the text fields of a `.finding` entity, one last-writer-wins field per attribute.
enum FindingFields {
    static func fields(of finding: Finding) -> [String: FieldValue] {
        var fields: [String: FieldValue] = [
            "finding_id": .string(finding.id), "title": .string(finding.title), "publisher": .string(finding.publisher),
            "authority": .string(finding.authority), "published": .string(finding.published),
            "category": .string(finding.category.rawValue), "quote": .string(finding.quote), "source": .string(finding.source),
        ]
        if !finding.summary.isEmpty { fields["summary"] = .string(finding.summary) }
        if let quotedIn = finding.quotedIn { fields["quoted_in"] = .string(quotedIn) }
        if let verifiedIn = finding.verifiedIn { fields["verified_in"] = .string(verifiedIn) }
        return fields
    }

    /// Nil when a required attribute is missing or the category is not one of the set.
    static func finding(from fields: [String: FieldValue]) -> Finding? {
        func text(_ key: String) -> String? {
            if case .string(let value) = fields[key] { return value }
            return nil
        }
        guard let id = text("finding_id"), let title = text("title"), let publisher = text("publisher"),
              let authority = text("authority"), let published = text("published"),
              let category = text("category").flatMap(FindingCategory.init(rawValue:)),
              let quote = text("quote"), let source = text("source") else { return nil }
        return Finding(id: id, title: title, publisher: publisher, authority: authority, published: published, category: category,
                       quote: quote, summary: text("summary") ?? "", source: source, quotedIn: text("quoted_in"),
                       verifiedIn: text("verified_in"))
    }
}
