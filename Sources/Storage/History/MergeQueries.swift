import Foundation
import GRDB
import SyncCore

extension Store {
    /// The merges of concurrent changes recorded for a note, oldest first (none for a note that
    /// never met concurrent changes here).
    public func mergeMarks(_ note: EntityID) throws(StoreError) -> [MergeMark] {
        try read { db in
            guard let ref = try Int64.fetchOne(db, sql: "SELECT ref FROM entities WHERE id = ?", arguments: [Data(note.bytes)]) else {
                return []
            }
            return try MergeMarkRows.load(note: note, ref: ref, db).map(\.mark)
        }
    }

    // MARK: Peer replicas

    /// Records that `device` (a device id as `fieldnote id` prints it) has the store with
    /// `replica`, as it said when syncing with this store. Writes only when that is news.
    ///
    /// A replica id is a store's, made at random when the store was created; a device id is the
    /// hash of the device's TLS key. Only a sync joins the two: the peer's certificate proves its
    /// device id and its HELLO gives its replica id. History names changes by replica, so this
    /// is what lets it say "Bea" instead of a hex id.
    public func rememberPeerReplica(_ replica: ReplicaID, device: String) throws(StoreError) {
        guard try peerReplicas()[replica] != device else { return }
        let now = Int64(wallClock())
        try storeErrors {
            try pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO peer_replicas (replica, device, learned_ms) VALUES (?, ?, ?)",
                               arguments: [Data(replica.bytes), device, now])
            }
        }
    }

    /// Every replica id whose device this store has learned by syncing with it: replica → device id.
    public func peerReplicas() throws(StoreError) -> [ReplicaID: String] {
        try read { db in
            var devices: [ReplicaID: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT replica, device FROM peer_replicas") {
                devices[try EntityRows.replicaID(row[0])] = row[1]
            }
            return devices
        }
    }
}
