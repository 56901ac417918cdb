import Foundation
import GRDB
import SyncCore

extension Store {
    /// Rebuilds, from the op log, every entity of `space` that an op of one of `authors` touches,
    /// applying every logged op, those of the replicas in `muting` as `EntityState.applyMuted` does. Called when a grant
    /// changes whether some device's ops count here (`apply(_:merging:proof:muting:)`): a device
    /// made read-only loses its effect on what this store shows, one made read-write again gets
    /// it back, and the store then equals one that received the same ops under the new grants.
    ///
    /// Each entity's ops are replayed in causal order (`EntityState.replaying`), as a store
    /// receiving them would, only those of its bound create's space when it has one. What a purge erased stays erased: a
    /// purge undone this way leaves the entity empty, not restored. Returns how many entities
    /// were rebuilt.
    @discardableResult
    public func rematerialize(_ space: SpaceID, authors: Set<ReplicaID>, muting: Set<ReplicaID>) throws(StoreError) -> Int {
        guard !authors.isEmpty else { return 0 }
        let muted = muting.subtracting([replica])
        return try write { session in
            let placeholders = Array(repeating: "?", count: authors.count).joined(separator: ", ")
            let touched = try Row.fetchAll(session.db, sql: """
                SELECT DISTINCT e.ref, e.id FROM ops o JOIN entities e ON e.ref = o.entity
                WHERE o.space = ? AND o.replica IN (\(placeholders))
                """, arguments: StatementArguments([space.name] + authors.map { Data($0.bytes) as DatabaseValueConvertible }))
            let select = try session.db.cachedStatement(sql: """
                SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE entity = ?
                """)
            for row in touched {
                guard let id = EntityID(bytes: row[1] as Data) else { throw StoreError(.corrupt, "a stored entity id is not 16 bytes") }
                var logged: [Op] = []
                for opRow in try Row.fetchAll(select, arguments: [row[0] as Int64]) { logged += try OpLogRows.ops(from: opRow) }
                // A create bound to the id files the entity, whichever op came first (6.4).
                let state = EntityState.replaying(logged, of: id, in: EntityState.boundSpace(of: id, among: logged), muted: muted)
                try session.update(id) { $0 = state }
            }
            return touched.count
        }
    }
}
