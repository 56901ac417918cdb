import Foundation
import GRDB
import SyncCore

extension Store {
    /// Notes in the bin (deleted, not purged), the most recently binned first: what `restore`
    /// can take back out. The order is the bin register's timestamp, so a note binned on a
    /// colleague's device lists by when it was binned there.
    /// - Parameter limit: at most this many; nil for all.
    public func binnedNotes(space: SpaceID? = nil, limit: Int? = nil) throws(StoreError) -> [NoteRecord] {
        var sql = """
            SELECT ref, space, kind, created_ms, created_counter, updated_ms, updated_counter,
                   deleted, deleted_ms, deleted_counter, deleted_replica, purged, id, \(EntityRows.registerColumns)
            FROM entities WHERE kind = ? AND deleted = 1 AND purged = 0
            """
        var arguments: [(any DatabaseValueConvertible)?] = [Int64(EntityKind.note.rawValue)]
        if let space { sql += " AND space = ?"; arguments.append(space.name) }
        sql += " ORDER BY deleted_ms DESC, deleted_counter DESC, ref DESC"
        if let limit { sql += " LIMIT ?"; arguments.append(limit) }
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                NoteRecord(try EntityRows.load(ref: row[0], id: EntityID(bytes: row[12] as Data)!, entityRow: row, db))
            }
        }
    }
}
