import Foundation
import GRDB
import SyncCore

/// A case as listed: its token, the local alias if any, and how many live notes are attached.
public struct CaseRecord: Sendable, Hashable {
    public var id: EntityID
    public var token: String
    public var space: SpaceID
    /// A private name for the case, kept in the local-only `case_aliases` table; never synced.
    public var alias: String?
    public var noteCount: Int
    public var created: Timestamp
}

extension Store {
    /// Creates a case with a fresh random token and returns the token. The alias stays on this device.
    @discardableResult
    public func addCase(alias: String? = nil, space: SpaceID = .team) throws(StoreError) -> String {
        try write { session in
            var token = CaseToken.random()
            while try session.caseEntity(token: token) != nil { token = CaseToken.random() }
            var factory = try session.makeFactory()
            var (state, create) = EntityState.create(.caseReference, in: space, using: &factory)
            try session.log(create)
            try session.log(try state.setField("token", to: .string(token), using: &factory))
            session.put(state)
            session.absorb(factory)
            if let alias { try Self.saveAlias(alias, for: token, session.db) }
            return token
        }
    }

    /// Sets or clears (nil) the local alias of a case.
    public func setCaseAlias(token: String, alias: String?) throws(StoreError) {
        let canonical = try CaseToken.normalised(token).orThrow(unknownCase(token))
        try write { session in
            guard try session.caseEntity(token: canonical) != nil else { throw unknownCase(token) }
            if let alias {
                try Self.saveAlias(alias, for: canonical, session.db)
            } else {
                try session.db.execute(sql: "DELETE FROM case_aliases WHERE token = ?", arguments: [canonical])
            }
        }
    }

    /// Every case, oldest first, with its local alias and count of live notes.
    public func cases() throws(StoreError) -> [CaseRecord] {
        try read { db in try Self.caseRecords(where: nil, arguments: [], db) }
    }

    /// The case whose token or local alias is `tokenOrAlias`, if any (a token wins over an alias).
    /// Found through the token index or the unique alias, without listing every case.
    public func findCase(_ tokenOrAlias: String) throws(StoreError) -> CaseRecord? {
        try read { db in
            if let token = CaseToken.normalised(tokenOrAlias),
               let found = try Self.caseRecords(where: "f.value = ?", arguments: [token], db).first {
                return found
            }
            let token = try String.fetchOne(db, sql: "SELECT token FROM case_aliases WHERE alias = ?", arguments: [tokenOrAlias.trimmingCharacters(in: .whitespaces)])
            guard let token else { return nil }
            return try Self.caseRecords(where: "f.value = ?", arguments: [token], db).first
        }
    }

    private static func caseRecords(where condition: String?, arguments: StatementArguments, _ db: Database) throws -> [CaseRecord] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.id, e.space, f.value, a.alias, e.created_ms, e.created_counter,
                   (SELECT count(*) FROM fields c JOIN entities n ON n.ref = c.entity
                    WHERE c.key = 'case' AND c.value = f.value AND n.deleted = 0 AND n.purged = 0)
            FROM fields f
            JOIN entities e ON e.ref = f.entity
            LEFT JOIN case_aliases a ON a.token = f.value
            WHERE f.key = 'token' AND e.kind = \(EntityKind.caseReference.rawValue) AND e.purged = 0\(condition.map { " AND " + $0 } ?? "")
            ORDER BY e.created_ms, e.created_counter
            """, arguments: arguments)
        return try rows.map { row in
            CaseRecord(
                id: EntityID(bytes: row[0] as Data)!, token: row[2], space: try SpaceID(row[1] as String),
                alias: row[3], noteCount: row[6], created: EntityRows.timestamp(row[4] ?? 0, row[5] ?? 0))
        }
    }

    /// Aliases are unique on this device: one already naming another case is refused with the
    /// case it names, rather than moved silently. An alias may not look like a case token either,
    /// since a token is looked up first and would hide it.
    private static func saveAlias(_ alias: String, for token: String, _ db: Database) throws {
        let trimmed = alias.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 64 else {
            throw StoreError(.invalidArgument, "a case alias must be 1–64 characters")
        }
        guard CaseToken.normalised(trimmed) == nil else {
            throw StoreError(.invalidArgument, "a case alias cannot look like a case token (\(trimmed))")
        }
        let holder = try String.fetchOne(db, sql: "SELECT token FROM case_aliases WHERE alias = ?", arguments: [trimmed])
        if let holder, holder != token {
            throw StoreError(.invalidArgument, "the alias \"\(trimmed)\" already names case \(holder); choose another")
        }
        try db.execute(sql: "INSERT OR REPLACE INTO case_aliases (token, alias) VALUES (?, ?)", arguments: [token, trimmed])
    }
}

extension WriteSession {
    /// The case entity holding `token`, found through the partial index on token fields.
    func caseEntity(token: String) throws -> EntityID? {
        let data = try Data.fetchOne(db.cachedStatement(sql: """
            SELECT e.id FROM fields f JOIN entities e ON e.ref = f.entity
            WHERE f.key = 'token' AND f.value = ? AND e.kind = ? AND e.purged = 0
            """), arguments: [token, Int64(EntityKind.caseReference.rawValue)])
        return data.flatMap { EntityID(bytes: $0) }
    }
}
