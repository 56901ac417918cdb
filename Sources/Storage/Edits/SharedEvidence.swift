import Foundation
import GRDB
import SyncCore

/// Evidence records this device shared: which note each came from (kept here only), and
/// withdrawing one, which erases it on every device the withdrawal reaches.
extension Store {
    /// Keeps, on this device only, that `record` was shared from `note`.
    public func noteShared(_ record: EntityID, from note: EntityID) throws(StoreError) {
        try storeErrors {
            try pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO shared_from (record, note) VALUES (?, ?)",
                               arguments: [Data(record.bytes), Data(note.bytes)])
            }
        }
    }

    /// The evidence records shared from `note` that are not withdrawn yet.
    public func evidenceShared(from note: EntityID) throws(StoreError) -> [EntityID] {
        try read { db in
            try Data.fetchAll(db, sql: """
                SELECT s.record FROM shared_from s JOIN entities e ON e.id = s.record
                WHERE s.note = ? AND e.purged = 0 ORDER BY s.record
                """, arguments: [Data(note.bytes)]).compactMap { EntityID(bytes: $0) }
        }
    }

    /// Who made an evidence record and whether it was withdrawn; nil for an id that names no
    /// evidence record here.
    public func evidenceState(_ id: EntityID) throws(StoreError) -> (author: ReplicaID?, withdrawn: Bool)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT author, purged, kind FROM entities WHERE id = ?", arguments: [Data(id.bytes)]),
                  (row[2] as Int64?) == Int64(EntityKind.evidence.rawValue) else { return nil }
            let author = (row[0] as Data?).flatMap { ReplicaID(bytes: $0) }
            return (author, (row[1] as Int64) != 0)
        }
    }
}
