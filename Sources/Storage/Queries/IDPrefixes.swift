import Foundation
import GRDB
import SyncCore

extension Store {
    /// The shortest prefix of `id`'s hex form, at least `minimumLength` digits, that no other
    /// entity of `kind` (nil: of any kind) starts with — what `resolve(prefix:kind:)` takes back.
    ///
    /// Index-backed: only the two neighbours of `id` in the `entities.id` index are read (the
    /// nearest smaller and larger id of the kind), because a prefix that neither neighbour shares
    /// no other id shares either. Ids begin with their creation time, so notes written within
    /// about a minute of each other share their first 8 digits and need more.
    public func shortestUniquePrefix(of id: EntityID, kind: EntityKind? = .note, minimumLength: Int = 8) throws(StoreError) -> String {
        try shortestUniquePrefixes(of: [id], kind: kind, minimumLength: minimumLength)[id] ?? id.hex
    }

    /// `shortestUniquePrefix(of:kind:minimumLength:)` for many ids, in one read transaction
    /// (a listing's ids are then consistent with each other).
    public func shortestUniquePrefixes(of ids: [EntityID], kind: EntityKind? = .note, minimumLength: Int = 8) throws(StoreError) -> [EntityID: String] {
        // `+kind`: without it the planner walks entities_by_created (kind, …) over every note of
        // the kind and sorts, instead of stepping once along the id index.
        let filter = kind == nil ? "" : " AND +kind = \(kind!.rawValue)"
        return try read { db in
            let before = try db.cachedStatement(sql: "SELECT id FROM entities WHERE id < ?\(filter) ORDER BY id DESC LIMIT 1")
            let after = try db.cachedStatement(sql: "SELECT id FROM entities WHERE id > ?\(filter) ORDER BY id LIMIT 1")
            var prefixes: [EntityID: String] = [:]
            for id in ids {
                let key = Data(id.bytes)
                var shared = 0
                for statement in [before, after] {
                    if let data = try Data.fetchOne(statement, arguments: [key]), let neighbour = EntityID(bytes: data) {
                        shared = max(shared, IDPrefix.sharedHexDigits(id, neighbour))
                    }
                }
                prefixes[id] = String(id.hex.prefix(min(32, max(minimumLength, shared + 1))))
            }
            return prefixes
        }
    }
}

enum IDPrefix {
    /// How many leading hex digits two ids have in common (32 when they are equal).
    static func sharedHexDigits(_ lhs: EntityID, _ rhs: EntityID) -> Int {
        let high = lhs.high ^ rhs.high
        if high != 0 { return high.leadingZeroBitCount / 4 }
        let low = lhs.low ^ rhs.low
        return low == 0 ? 32 : 16 + low.leadingZeroBitCount / 4
    }
}
