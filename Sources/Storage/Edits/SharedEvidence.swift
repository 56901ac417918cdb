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

    /// Withdraws an evidence record this store's own replica wrote, as records were written
    /// before protocol 6 (unsealed, under the device's own id): a purge by its author, which
    /// reaches every device like any other. Sealed records are withdrawn with their own key
    /// (`withdraw(evidence:as:)`).
    public func withdrawOwnUnsealed(evidence id: EntityID) throws(StoreError) {
        try write { session in
            guard var state = try session.existingState(id), state.kind == .evidence else {
                throw StoreError(.unknownID, "no evidence record with id \(id.short)")
            }
            guard !state.isPurged else { return }
            var factory = try session.makeFactory()
            let op = try state.purge(using: &factory)
            try session.log(op)
            session.put(state)
            session.absorb(factory)
            try session.db.execute(sql: "DELETE FROM shared_from WHERE record = ?", arguments: [Data(id.bytes)])
        }
    }

    /// This store's own evidence records written before protocol 6, unsealed and not withdrawn:
    /// what `evidence list` asks to withdraw.
    public func ownUnsealedEvidence() throws(StoreError) -> [EntityID] {
        try entities(of: .evidence, space: .evidence)
            .filter { $0.creator == replica && $0.fields[FieldKey.sealed] == nil }
            .map(\.id)
    }
}
