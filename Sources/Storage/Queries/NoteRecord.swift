import Foundation
import SyncCore

/// A note as a reader sees it: what `show`, `list` and `--json` print.
///
/// Built from the materialised `EntityState`, so two stores that applied the same ops give equal
/// records; tests compare stores through it.
public struct NoteRecord: Sendable, Hashable, Identifiable {
    public var id: EntityID
    public var space: SpaceID
    public var created: Timestamp
    public var updated: Timestamp
    /// The case token the note is attached to (the field `case`), if any.
    public var caseToken: String?
    public var tags: [String]
    /// Every other live field, by key.
    public var fields: [String: FieldValue]
    public var text: String
    /// Ids of findings the note is linked to.
    public var links: [String]
    /// In the bin (tombstoned), restorable.
    public var deleted: Bool
    /// Erased: text, fields, tags and links are gone for good.
    public var purged: Bool
    /// What the entity is: `.note` for everything the note queries return; `.finding` or
    /// `.evidence` from `entities(of:)`.
    public var kind: EntityKind
    /// The replica (device store) that created the entity, from its `create` op. Filled in by
    /// `entities(of:)`, where a report needs it to count distinct reporters; nil elsewhere.
    public var creator: ReplicaID?

    public var createdDate: Date { Date(timeIntervalSince1970: Double(created.millis) / 1000) }
    public var updatedDate: Date { Date(timeIntervalSince1970: Double(updated.millis) / 1000) }

    init(_ state: EntityState) {
        id = state.id
        space = state.space ?? .team
        created = state.created ?? .zero
        updated = state.updated ?? state.created ?? .zero
        if case .string(let token) = state.field("case") { caseToken = token }
        tags = state.tags
        var fields: [String: FieldValue] = [:]
        for key in state.fields.keys where key != "case" {
            if let value = state.field(key) { fields[key] = value }
        }
        self.fields = fields
        text = state.text.text
        links = state.links
        deleted = state.isDeleted
        purged = state.isPurged
        kind = state.kind ?? .note
    }
}

/// One search hit: the note, its bm25 rank (lower is better) and a snippet with the matches marked.
public struct SearchHit: Sendable, Hashable {
    public var id: EntityID
    public var rank: Double
    public var snippet: String
    public var created: Timestamp
}

/// One op on a note, summarised for `history`.
public struct HistoryEntry: Sendable, Hashable {
    public var op: OpID
    /// The replica (device store) that made the change.
    public var replica: ReplicaID
    /// Whether this store made it.
    public var isLocal: Bool
    public var timestamp: Timestamp
    /// What the op did, in words ("set caseload = 31", "added tag overtime", "inserted 12 characters").
    public var summary: String

    public var date: Date { Date(timeIntervalSince1970: Double(timestamp.millis) / 1000) }
}

/// Counts for one space in `status`.
public struct SpaceStatus: Sendable, Hashable {
    public var space: SpaceID
    public var notes: Int
    public var deletedNotes: Int
    public var purgedNotes: Int
    public var cases: Int
    /// Live evidence records (shared here or received), and withdrawn ones.
    public var evidence: Int = 0
    public var withdrawnEvidence: Int = 0
    public var ops: Int
    public var vector: VersionVector
}

/// What `status` shows: the replica, per-space counts and vectors, parked ops, and SQLite's integrity verdict.
public struct StoreStatus: Sendable, Hashable {
    public var replica: ReplicaID
    public var directory: URL
    public var spaces: [SpaceStatus]
    public var pendingOps: Int
    /// Notes received from peers that search has not indexed yet: the next search indexes them
    /// first (`Store.updateSearchIndex`).
    public var unindexedNotes: Int
    /// The rows of `PRAGMA integrity_check`: `["ok"]` for a healthy database.
    public var integrity: [String]
    public var isIntact: Bool { integrity == ["ok"] }
}
