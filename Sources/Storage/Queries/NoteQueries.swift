import Foundation
import GRDB
import SyncCore

extension Store {
    /// Live notes (not deleted or purged), newest first, optionally filtered.
    /// - Parameters:
    ///   - since: only notes created at or after this date.
    ///   - until: only notes created before this date.
    ///   - limit: at most this many; nil for all.
    public func notes(
        space: SpaceID? = nil, caseToken: String? = nil, tag: String? = nil, since: Date? = nil, until: Date? = nil,
        limit: Int? = 50
    ) throws(StoreError) -> [NoteRecord] {
        try live(.note, space: space, caseToken: caseToken, tag: tag, since: since, until: until, limit: limit)
    }

    /// Live entities of `kind` (findings, evidence records, notes), newest first, each with its
    /// `creator`: the replica whose `create` op made it. Notes are listed by `notes`; this is
    /// for the findings component, which stores user findings and evidence as their own kinds.
    public func entities(of kind: EntityKind, space: SpaceID? = nil, limit: Int? = nil) throws(StoreError) -> [NoteRecord] {
        try live(kind, space: space, limit: limit, withCreator: true)
    }

    private func live(
        _ kind: EntityKind, space: SpaceID? = nil, caseToken: String? = nil, tag: String? = nil, since: Date? = nil,
        until: Date? = nil, limit: Int?, withCreator: Bool = false
    ) throws(StoreError) -> [NoteRecord] {
        // The creator is the entity's author: the replica of its `create` op (EntityState.author),
        // the only one that may change an evidence record.
        let creator = withCreator ? "e.author" : "NULL"
        var sql = """
            SELECT ref, space, kind, created_ms, created_counter, updated_ms, updated_counter,
                   deleted, deleted_ms, deleted_counter, deleted_replica, purged, id, \(creator), \(EntityRows.registerColumns)
            FROM entities e WHERE kind = ? AND deleted = 0 AND purged = 0
            """
        var arguments: [(any DatabaseValueConvertible)?] = [Int64(kind.rawValue)]
        if let space { sql += " AND space = ?"; arguments.append(space.name) }
        // Dates come in whole milliseconds (as `--json` prints them); rounded, not truncated, so
        // that .913 s does not become 912.9999… ms and lose the note written at that instant.
        if let since {
            sql += " AND created_ms >= ?"
            arguments.append(Int64(max(0, (since.timeIntervalSince1970 * 1000).rounded())))
        }
        if let until {
            sql += " AND created_ms < ?"
            arguments.append(Int64(max(0, (until.timeIntervalSince1970 * 1000).rounded())))
        }
        if let caseToken {
            sql += " AND ref IN (SELECT entity FROM fields WHERE key = 'case' AND value = ?)"
            arguments.append(CaseToken.normalised(caseToken) ?? caseToken)
        }
        if let tag {
            sql += " AND ref IN (SELECT entity FROM set_elements WHERE set_name = 'tags' AND element = ?)"
            arguments.append(tag)
        }
        // ref breaks ties: it is the last column of entities_by_created, so the index gives the order.
        sql += " ORDER BY created_ms DESC, created_counter DESC, ref DESC"
        if let limit { sql += " LIMIT ?"; arguments.append(limit) }
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                let id = EntityID(bytes: row[12] as Data)!
                var record = NoteRecord(try EntityRows.load(ref: row[0], id: id, entityRow: row, db))
                record.creator = (row[13] as Data?).flatMap { ReplicaID(bytes: $0) }
                return record
            }
        }
    }

    /// The note with this id, purged and deleted ones included; `unknownID` when there is none.
    public func note(_ id: EntityID) throws(StoreError) -> NoteRecord {
        let state = try read { db in try EntityRows.load(id, db)?.state }
        guard let state, state.kind == .note else {
            if state != nil { throw StoreError(.notANote, "\(id.short) is not a note") }
            throw StoreError(.unknownID, "no note with id \(id.short)")
        }
        return NoteRecord(state)
    }

    /// Ranked full-text search over live notes' text, tags and field values (bm25, computed by
    /// `SearchRanking` from the joined fts_docsize row rather than a lookup of FTS5's own per row).
    ///
    /// Ranking keeps only the best `limit` rows as it goes (SQLite's sorter with a LIMIT), and
    /// only those get a snippet (`SearchSnippet`, linear in the text it reads): computed in the
    /// ranking query, a snippet was made for every match, however many were then dropped.
    ///
    /// Notes received from peers are indexed first (`updateSearchIndex`, nothing to do unless a
    /// sync left some), so search finds every note this store held when it was called.
    /// - Parameter highlight: the marks put around each match in the snippet.
    public func search(
        _ query: String, limit: Int? = 20, highlight: (open: String, close: String) = ("[", "]")
    ) throws(StoreError) -> [SearchHit] {
        guard let match = SearchIndex.matchExpression(query) else { return [] }
        try updateSearchIndex()
        return try read { db in
            let ranked = try Row.fetchAll(db, sql: """
                SELECT fts.rowid, fieldnote_bm25(fts, d.sz) AS score
                FROM fts JOIN fts_docsize d ON d.id = fts.rowid
                WHERE fts MATCH ?
                ORDER BY score LIMIT ?
                """, arguments: [match, limit ?? -1])
            let snippet = try db.cachedStatement(sql: """
                SELECT fieldnote_snippet(fts, ?, ?, '…', 12) FROM fts WHERE fts MATCH ? AND rowid = ?
                """)
            let entity = try db.cachedStatement(sql: "SELECT id, created_ms, created_counter FROM entities WHERE ref = ?")
            return try ranked.compactMap { hit in
                let ref: Int64 = hit[0]
                guard let row = try Row.fetchOne(entity, arguments: [ref]) else { return nil }
                let text = try String.fetchOne(snippet, arguments: [highlight.open, highlight.close, match, ref]) ?? ""
                return SearchHit(id: EntityID(bytes: row[0] as Data)!, rank: hit[1], snippet: text,
                                 created: EntityRows.timestamp(row[1], row[2]))
            }
        }
    }

    /// Every op on a note, oldest first: who made it, when, and what it did.
    public func history(_ note: EntityID) throws(StoreError) -> [HistoryEntry] {
        let localReplica = replica
        return try read { db in
            guard let ref = try Int64.fetchOne(db, sql: "SELECT ref FROM entities WHERE id = ?", arguments: [Data(note.bytes)]) else {
                throw StoreError(.unknownID, "no note with id \(note.short)")
            }
            let ops = try Row.fetchAll(db, sql: """
                SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE entity = ?
                """, arguments: [ref]).flatMap(OpLogRows.ops(from:))
            return ops.sorted(by: LogOrderMerge.precedes).map { op in
                HistoryEntry(op: op.id, replica: op.id.replica, isLocal: op.id.replica == localReplica,
                             timestamp: op.timestamp, summary: HistorySummary.describe(op.payload))
            }
        }
    }
}

/// Words for what an op did, for people reading `history`.
enum HistorySummary {
    static func describe(_ payload: OpPayload) -> String {
        switch payload {
        case .create(_, let kind): "created \(kind)"
        case .setField(_, "case", .null, _): "detached from its case"
        case .setField(_, "case", let value, _): "attached to case \(value)"
        case .setField(_, let key, .null, _): "cleared \(key)"
        case .setField(_, let key, let value, _): "set \(key) = \(value)"
        case .addElement(_, FieldKey.tags, let element): "added tag \(element)"
        case .addElement(_, FieldKey.links, let element): "linked finding \(element)"
        case .addElement(_, let set, let element): "added \(element) to \(set)"
        case .removeElement(_, FieldKey.tags, let element, _): "removed tag \(element)"
        case .removeElement(_, FieldKey.links, let element, _): "unlinked finding \(element)"
        case .removeElement(_, let set, let element, _): "removed \(element) from \(set)"
        case .insertText(_, _, _, let text):
            "inserted \(text.unicodeScalars.count) character\(text.unicodeScalars.count == 1 ? "" : "s")"
        case .deleteText(_, let ranges):
            "deleted \(ranges.reduce(0) { $0 + $1.count }) character\(ranges.reduce(0) { $0 + $1.count } == 1 ? "" : "s")"
        case .setDeleted(_, true, _): "moved to the bin"
        case .setDeleted(_, false, _): "restored from the bin"
        case .purge: "purged (content erased)"
        case .erased: "(erased)"
        }
    }
}
