import Foundation
import GRDB
import SyncCore

/// Why a space exists in this store.
public enum SpaceOrigin: String, Sendable, Hashable {
    /// `team` or `evidence`, which every store has.
    case builtIn = "built-in"
    /// Made on this device with `makeSpace` (`fieldnote spaces add`).
    case made
    /// Never made here, but its log holds ops: they arrived from a peer that was granted the
    /// space and synced it (or were written before spaces had to be made).
    case synced
}

/// A space as `spaces list` shows it.
public struct SpaceSummary: Sendable, Hashable {
    public var space: SpaceID
    public var origin: SpaceOrigin
    /// Notes neither in the bin nor purged.
    public var notes: Int
    /// Notes in the bin (restorable).
    public var binnedNotes: Int
}

/// The spaces that exist in a store.
///
/// A space name is part of every op id and of every grant, and a mistyped one silently makes a
/// space nobody syncs. So names are checked against the spaces that exist: `team` and `evidence`
/// always, those made here (the local-only `made_spaces` table), and any whose log holds ops,
/// which is how a space a trusted peer made and synced becomes known on this device.
extension Store {
    /// The spaces every store has.
    public static let builtInSpaces: [SpaceID] = [.team, .evidence]

    /// Every space that exists here, sorted by name. Cheap: no notes are counted.
    public func knownSpaces() throws(StoreError) -> [SpaceID] {
        try read { db in try Self.knownSpaces(db).keys.sorted() }
    }

    /// Every space that exists here with its origin and note counts, sorted by name.
    public func spaceSummaries() throws(StoreError) -> [SpaceSummary] {
        try read { db in
            var summaries: [SpaceID: SpaceSummary] = [:]
            for (space, origin) in try Self.knownSpaces(db) {
                summaries[space] = SpaceSummary(space: space, origin: origin, notes: 0, binnedNotes: 0)
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT space, sum(deleted = 0 AND purged = 0), sum(deleted = 1 AND purged = 0)
                FROM entities WHERE kind = ? GROUP BY space
                """, arguments: [Int64(EntityKind.note.rawValue)]) {
                let space = try SpaceID(row[0] as String)
                var summary = summaries[space] ?? SpaceSummary(space: space, origin: .synced, notes: 0, binnedNotes: 0)
                summary.notes = row[1] ?? 0
                summary.binnedNotes = row[2] ?? 0
                summaries[space] = summary
            }
            return summaries.values.sorted { $0.space < $1.space }
        }
    }

    /// Makes a space on this device, so notes can be written in it and peers granted it.
    /// Returns false, changing nothing, when the space exists already.
    @discardableResult
    public func makeSpace(_ space: SpaceID) throws(StoreError) -> Bool {
        let now = Int64(wallClock())
        return try storeErrors {
            try pool.write { db in
                guard try Self.knownSpaces(db)[space] == nil else { return false }
                try db.execute(sql: "INSERT INTO made_spaces (name, made_ms) VALUES (?, ?)", arguments: [space.name, now])
                return true
            }
        }
    }

    private static func knownSpaces(_ db: Database) throws -> [SpaceID: SpaceOrigin] {
        var known: [SpaceID: SpaceOrigin] = [:]
        // `versions` has a row per space and replica whose ops the log holds: a small table.
        for name in try String.fetchAll(db, sql: "SELECT DISTINCT space FROM versions") {
            known[try SpaceID(name)] = .synced
        }
        for name in try String.fetchAll(db, sql: "SELECT name FROM made_spaces") {
            known[try SpaceID(name)] = .made
        }
        for space in builtInSpaces { known[space] = .builtIn }
        return known
    }
}
