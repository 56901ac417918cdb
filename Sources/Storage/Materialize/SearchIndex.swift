import GRDB
import SyncCore

/// The FTS5 index over live notes: text, tags and field values, one row per note, rowid = `entities.ref`.
///
/// Written in the same transaction as the rows it indexes, so search never disagrees with `show`.
/// Deleted (binned) and purged notes have no row: they are not found, and a purge also runs
/// `optimize`, which rewrites the index into one fresh segment so that no old segment still
/// holding the erased words survives (with secure_delete, the freed pages are zeroed).
enum SearchIndex {
    static func update(ref: Int64, state: EntityState, isNew: Bool, _ db: Database) throws {
        if !isNew {
            try db.cachedStatement(sql: "DELETE FROM fts WHERE rowid = ?").execute(arguments: [ref])
        }
        guard state.kind == .note, !state.isDeleted, !state.isPurged else { return }
        let fields = state.fields.keys.sorted().compactMap { key in state.field(key).map { "\(key) \($0)" } }
        var statement = try BoundStatement(db, sql: "INSERT INTO fts (rowid, text, tags, fields) VALUES (?, ?, ?, ?)")
        statement.bind(ref)
        statement.bind(state.text.text)
        statement.bind(state.tags.joined(separator: " "))
        statement.bind(fields.joined(separator: " ; "))
        try statement.execute()
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
