import Storage
import SyncCore
import Transport

/// Names for the replica ids that changes carry, as the person at this device knows them.
///
/// A change names the store (replica) that made it, not the device. A sync learns which device
/// has which replica (`Store.rememberPeerReplica`), and the trust list names the device; a
/// replica this store never synced with directly (a colleague's changes relayed by another)
/// keeps its short hex form, as does one whose device is no longer trusted (with the device id).
struct ReplicaNames {
    let own: ReplicaID
    let devices: [ReplicaID: String]
    let peerNames: [String: String]

    /// Reads the learned replicas and the trust list of `store`. An absent or unreadable list
    /// names nobody: a note's history is still worth showing with hex ids.
    init(store: Store) throws {
        own = store.replica
        devices = try store.peerReplicas()
        let peers = (try? TrustList(directory: store.location.directory).peers()) ?? []
        peerNames = Dictionary(peers.map { ($0.device.description, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// "this device", the trust list's name, "device MFZWI3D", or the replica's 8 hex digits.
    /// Exact: for JSON; print it through `TerminalText.safe`.
    func name(_ replica: ReplicaID) -> String {
        if replica == own { return "this device" }
        guard let device = devices[replica] else { return replica.description }
        return peerNames[device] ?? "device \(device.prefix(7))"
    }

    /// "this device and Bea", "Bea, Cal and this device": other devices first, by name.
    func list(_ replicas: [ReplicaID]) -> String {
        let others = Set(replicas.filter { $0 != own }.map(name)).sorted()
        let names = others + (replicas.contains(own) ? ["this device"] : [])
        guard names.count > 1 else { return names.first ?? "nobody" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// Name and replica for JSON.
    func json(_ replica: ReplicaID) -> [String: Any] {
        ["replica": replica.hex, "name": name(replica), "local": replica == own]
    }
}

extension MergeMark {
    /// When this store applied the merge, as a timestamp for `Dates`.
    var mergedAt: Timestamp { Timestamp(millis: mergedMillis, counter: 0) }

    /// "text", "field caseload", "text and field caseload": what both sides had changed.
    var subjects: String {
        let parts = (text ? ["text"] : []) + fields.map { "field \($0)" }
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }
}
