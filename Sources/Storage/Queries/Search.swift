import Foundation
import GRDB
import SyncCore

extension Store {
    /// Ranked full-text search over live notes' text, tags and field values: the `limit` best
    /// matches by bm25 (best first), each with a snippet.
    /// - Parameter highlight: the marks put around each match in the snippet.
    ///
    /// Two steps, so that only the hits shown cost more than ranking: the inner query ranks
    /// every match inside FTS5 (`ORDER BY rank`, FTS5's own bm25 sort) and keeps `limit` rowids;
    /// only those are then joined to `entities` and given a snippet, each through an FTS5 lookup
    /// by rowid. In one query, SQLite computed the snippet and the join for every matching note
    /// before sorting — a third of the store for a common word.
    public func search(
        _ query: String, limit: Int = 20, highlight: (open: String, close: String) = ("[", "]")
    ) throws(StoreError) -> [SearchHit] {
        guard let match = SearchIndex.matchExpression(query), limit > 0 else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.id, top.rank, snippet(fts, -1, ?, ?, '…', 12), e.created_ms, e.created_counter
                FROM (SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ?) AS top
                JOIN fts ON fts.rowid = top.rowid
                JOIN entities e ON e.ref = top.rowid
                WHERE fts MATCH ?
                ORDER BY top.rank, top.rowid
                """, arguments: [highlight.open, highlight.close, match, limit, match]).map { row in
                SearchHit(id: EntityID(bytes: row[0] as Data)!, rank: row[1], snippet: row[2],
                          created: EntityRows.timestamp(row[3], row[4]))
            }
        }
    }
}
