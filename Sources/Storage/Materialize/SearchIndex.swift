import GRDB
import SyncCore

/// The FTS5 index over live notes: text, tags and field values, one row per note, rowid = `entities.ref`.
///
/// Local edits write it in the same transaction as the rows it indexes. Batches received from a
/// peer leave their notes in `SearchBacklog` instead, drained before any search, so search never
/// disagrees with `show` either way. Deleted (binned) and purged notes have no row: they are not
/// found, and a purge also runs `optimize`, which rewrites the index into one fresh segment so
/// that no old segment still holding the erased words survives (with secure_delete, the freed
/// pages are zeroed).
enum SearchIndex {
    /// What a note's fts row holds, or nil when the entity should have none (not a live note).
    struct Columns {
        let text: String
        let tags: String
        let fields: String

        init?(_ state: EntityState) {
            guard SearchIndex.indexes(state) else { return nil }
            self.init(text: state.text.text, tags: state.tags, fields: state.fields.keys.compactMap { key in state.field(key).map { (key, $0) } })
        }

        /// The row of a note with this visible text, these tags (each once) and these live
        /// fields (none `.null`), given in any order: `SearchBacklog` builds rows from stored
        /// columns with it, and they must equal those built from the note's state.
        init(text: String, tags: [String], fields: [(key: String, value: FieldValue)]) {
            self.text = text
            self.tags = tags.sorted().joined(separator: " ")
            self.fields = fields.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " ; ")
        }

        /// Runs `statement`, an insert of (rowid, text, tags, fields) into fts.
        func insert(ref: Int64, into statement: inout BoundStatement) throws {
            statement.bind(ref)
            statement.bind(text)
            statement.bind(tags)
            statement.bind(fields)
            try statement.execute()
        }
    }

    /// Whether the entity has a search row: a live note (not binned, not purged).
    static func indexes(_ state: EntityState) -> Bool {
        state.kind == .note && !state.isDeleted && !state.isPurged
    }

    static func update(ref: Int64, state: EntityState, isNew: Bool, _ db: Database) throws {
        if !isNew { try remove(ref: ref, db) }
        guard let columns = Columns(state) else { return }
        var statement = try BoundStatement(db, sql: "INSERT INTO fts (rowid, text, tags, fields) VALUES (?, ?, ?, ?)")
        try columns.insert(ref: ref, into: &statement)
    }

    /// Removes a note's fts row, if it has one: a version of it that search must no longer find.
    static func remove(ref: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM fts WHERE rowid = ?").execute(arguments: [ref])
    }

    static func optimize(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO fts (fts) VALUES ('optimize')")
    }

    /// Turns what a person typed into an FTS5 query: every word must match (as a prefix if it
    /// ends in `*`), and FTS5 operators in the input are taken literally, so no input is a syntax error.
    static func matchExpression(_ query: String) -> String? {
        let words = query.split(whereSeparator: { $0.isWhitespace })
        let terms = words.compactMap { word -> String? in
            var text = String(word)
            let prefix = text.hasSuffix("*")
            if prefix { text.removeLast() }
            text = text.replacingOccurrences(of: "\"", with: "\"\"")
            guard !text.isEmpty else { return nil }
            return "\"\(text)\"" + (prefix ? " *" : "")
        }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }
}
