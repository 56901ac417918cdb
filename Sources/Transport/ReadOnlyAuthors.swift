import Storage
import SyncCore

/// A read-only grant holds across relays: the ops of a device this one grants a space read-only
/// change nothing here, whoever passes them on (Protocol.md 2.8).
///
/// A session refuses a read-only peer's own batches outright (`read_only`). Its ops can still
/// reach this device through a colleague who grants it read-write; they are signed by its key
/// (so the device id names them: its first 16 bytes are the replica id) and are kept and relayed
/// like any other op, so vectors agree and the colleague's store is served whole, but this store
/// applies them to nothing (`Store.apply(_:merging:proof:muting:)`).
extension TrustList {
    /// The replicas whose ops in `space` change nothing here: the devices granted it read-only.
    public func readOnlyAuthors(in space: SpaceID) throws(TransportError) -> Set<ReplicaID> {
        Set(try peers().filter { $0.spaces[space] == .readOnly }.map(\.device.replica))
    }

    /// After a peer's grants changed from `before` to `after` (either nil when it was added or
    /// removed), rebuilds what this store shows in each space where the peer's ops now count
    /// differently. Returns how many entities were rebuilt.
    @discardableResult
    public func applyGrantChange(of device: DeviceID, from before: Peer?, to after: Peer?, in store: Store) throws -> Int {
        var rebuilt = 0
        let spaces = Set((before?.spaces.keys).map(Array.init) ?? []).union((after?.spaces.keys).map(Array.init) ?? [])
        for space in spaces where (before?.spaces[space] == .readOnly) != (after?.spaces[space] == .readOnly) {
            rebuilt += try store.rematerialize(space, authors: [device.replica], muting: try readOnlyAuthors(in: space))
        }
        return rebuilt
    }
}
