import Foundation
import GRDB
import SyncCore

extension Store {
    /// Counts per space, version vectors, parked ops, notes not yet indexed and `PRAGMA integrity_check`.
    public func status() throws(StoreError) -> StoreStatus {
        let localReplica = replica
        let directory = location.directory
        return try read { db in
            let vectors = try OpLogRows.loadAllVectors(db)
            var spaces: [SpaceID: SpaceStatus] = [:]
            func entry(_ space: SpaceID) -> SpaceStatus {
                spaces[space] ?? SpaceStatus(space: space, notes: 0, deletedNotes: 0, purgedNotes: 0, cases: 0, ops: 0,
                                             vector: vectors[space] ?? VersionVector())
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT space,
                       sum(kind = 1 AND deleted = 0 AND purged = 0), sum(kind = 1 AND deleted = 1 AND purged = 0),
                       sum(kind = 1 AND purged = 1), sum(kind = 2 AND purged = 0),
                       sum(kind = 4 AND purged = 0), sum(kind = 4 AND purged = 1)
                FROM entities GROUP BY space
                """) {
                let space = try SpaceID(row[0] as String)
                var status = entry(space)
                status.notes = row[1] ?? 0
                status.deletedNotes = row[2] ?? 0
                status.purgedNotes = row[3] ?? 0
                status.cases = row[4] ?? 0
                status.evidence = row[5] ?? 0
                status.withdrawnEvidence = row[6] ?? 0
                spaces[space] = status
            }
            for row in try Row.fetchAll(db, sql: "SELECT space, sum(op_count) FROM ops GROUP BY space") {
                let space = try SpaceID(row[0] as String)
                var status = entry(space)
                status.ops = row[1]
                spaces[space] = status
            }
            for space in vectors.keys where spaces[space] == nil { spaces[space] = entry(space) }
            return StoreStatus(
                replica: localReplica, directory: directory,
                spaces: spaces.values.sorted { $0.space < $1.space },
                pendingOps: try Int.fetchOne(db, sql: "SELECT count(*) FROM pending") ?? 0,
                unindexedNotes: try SearchBacklog.count(db),
                integrity: try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
    }
}
