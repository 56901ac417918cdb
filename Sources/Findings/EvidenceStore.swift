import Foundation
import Sealing
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
/// - an evidence record: an entity of kind `.evidence` in the `evidence` space, written by a key
///   of its own, holding one field, `sealed`: the record sealed for the reps (`SealedEvidence`).
///   Reading records needs `keys`; without them, or for a record sealed for others, nothing
///   of it can be read.
/// Each write is one transaction.
public struct StoreFindingsAdapter: FindingsStore, EvidenceStore {
    public let store: Store
    public let findingsSpace: SpaceID
    public let keys: EvidenceKeys?

    public init(store: Store, findingsSpace: SpaceID = .team, keys: EvidenceKeys? = nil) {
        self.store = store
        self.findingsSpace = findingsSpace
        self.keys = keys
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

    /// Seals `record` for the reps in `keys` and writes it under a new key of its own, stamped
    /// with the Monday of this week (UTC) and nothing finer. Refused without a rep to seal to.
    @discardableResult
    public func addEvidence(_ record: EvidenceRecord) throws(FindingsError) -> String {
        guard let keys, !keys.reps.isEmpty else {
            throw FindingsError(.noRep, "no union rep is known to seal the record to, so nothing was shared")
        }
        return try sealing("seal the record") {
            var record = record
            let month = ReportMonth(week: record.week)
            let seen = try openedEntries(ownOnly: true).0.filter { ReportMonth(week: $0.record.week) == month }.compactMap(\.record.sequence).max()
            record.sequence = try store.nextEvidenceSequence(month: month.description, atLeast: seen ?? 0)
            let seed = try Digests.random(32)
            let pseudonym = author(try SigningKey(seed: seed))
            let sealed = try SealedEvidence.seal(record, author: pseudonym.replica, keys: keys)
            return try store.addSealedEvidence(Data(sealed).base64EncodedString(), as: pseudonym, keeping: seed).hex
        }
    }

    /// Withdraws a record this device shared, as the record's own key: erased here and on every
    /// device the withdrawal reaches. Another device's record is refused (`not_author`).
    public func withdraw(_ record: EntityID) throws(FindingsError) {
        guard let seed = try storage({ () throws(StoreError) in try store.evidenceSeed(record) }) else {
            throw FindingsError(.notAuthor, "evidence record \(record.short) was shared from another device; only that device can withdraw it")
        }
        try sealing("sign the withdrawal") { try store.withdraw(evidence: record, as: author(try SigningKey(seed: seed))) }
    }

    /// Runs `body`, whose keys (`SealingError`) and store (`StoreError`) may fail, as findings errors.
    private func sealing<T>(_ what: String, _ body: () throws -> T) throws(FindingsError) -> T {
        do {
            return try body()
        } catch let error as SealingError {
            throw FindingsError(.storage, "cannot \(what): \(error.message)")
        } catch let error as StoreError {
            throw FindingsError(.storage, error.message)
        } catch {
            throw FindingsError(.storage, "cannot \(what): \(error)")
        }
    }

    /// A record's key as the author of its ops, its clock the Monday of this week (UTC).
    private func author(_ key: SigningKey) -> PseudonymousAuthor {
        let week = ISOWeek(date: Date(timeIntervalSince1970: Double(store.wallClock()) / 1000))
        return PseudonymousAuthor(replica: SealedEvidence.replica(of: key.publicKey), publicKey: key.publicKey,
                                  wallMillis: UInt64(week.monday.timeIntervalSince1970 * 1000)) { try key.sign($0) }
    }

    /// Every live record this device can open that keeps `EvidenceLimits`, with `reporter` set
    /// to the person's key for its month; records that break the limits or are not sealed are
    /// counted as refused, those sealed for others as unreadable. Oldest first, so of one
    /// person's records for a week the report counts the last (`Report.latestPerPersonAndWeek`).
    public func evidence() throws(FindingsError) -> EvidenceReading {
        let (entries, reading) = try openedEntries(ownOnly: false)
        return EvidenceReading(records: entries.map(\.record), refused: reading.refused, unreadable: reading.unreadable)
    }

    /// The live records held here with their ids, oldest first: only the person's own when
    /// `ownOnly` (what `evidence list` shows), else every one this device can open (`--received`).
    public func evidenceEntries(sharedHere ownOnly: Bool) throws(FindingsError)
        -> (entries: [(id: EntityID, record: EvidenceRecord)], refused: Int, unreadable: Int) {
        let (entries, reading) = try openedEntries(ownOnly: ownOnly)
        return (entries, reading.refused, reading.unreadable)
    }

    private func openedEntries(ownOnly: Bool) throws(FindingsError) -> ([(id: EntityID, record: EvidenceRecord)], EvidenceReading) {
        let entities = try storage { () throws(StoreError) in try store.entities(of: .evidence, space: .evidence) }
        var entries: [(id: EntityID, record: EvidenceRecord, created: Timestamp)] = []
        var reading = EvidenceReading(records: [])
        for entity in entities {
            guard case .string(let text) = entity.fields[FieldKey.sealed], let envelope = Data(base64Encoded: text),
                  let author = entity.creator else {
                reading.refused += 1
                continue
            }
            guard let keys, case let result = SealedEvidence.read([UInt8](envelope), author: author, keys: keys),
                  result != .sealedForOthers else {
                reading.unreadable += 1
                continue
            }
            guard case .record(let opened) = result, EvidenceLimits.problem(opened.record) == nil else {
                reading.refused += 1
                continue
            }
            if ownOnly && !opened.isOwn { continue }
            entries.append((entity.id, opened.record, entity.created))
        }
        // In the order shared: by the week stamped, then by the person's count within the month.
        entries.sort { ($0.created, $0.record.sequence ?? 0, $0.id) < ($1.created, $1.record.sequence ?? 0, $1.id) }
        return (entries.map { ($0.id, $0.record) }, reading)
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
