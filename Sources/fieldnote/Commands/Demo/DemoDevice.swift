import Findings
import Foundation
import Logging
import Storage
import SyncCore
import Transport

/// One of the demo's devices: a store of its own, an identity and a trust list, as on a real device.
final class DemoDevice {
    let name: String
    let role: String
    let store: Store
    let identity: DeviceIdentity
    let trust: TrustList

    init(_ name: String, role: String, in root: URL) throws {
        self.name = name
        self.role = role
        let directory = root.appendingPathComponent(name.lowercased(), isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        identity = try DeviceIdentity.loadOrCreate(in: directory)
        store = try Store(directory: directory, newReplica: identity.replica)
        trust = try TrustList(directory: directory)
    }

    var id: DeviceID { identity.id }

    /// Trusts `other` with `spaces`, read-write, as `peers add` does (with `--rep` when `asRep`).
    func trusts(_ other: DemoDevice, _ spaces: [SpaceID], asRep: Bool = false) throws {
        try trust.add(other.id, name: other.name, spaces: Dictionary(uniqueKeysWithValues: spaces.map { ($0, Access.readWrite) }), isRep: asRep)
    }

    /// Serves on a free loopback port while `body` runs, as `fieldnote serve --port 0` does.
    func serving<T>(_ body: (UInt16) throws -> T) throws -> T {
        // The story is told on stdout; the server speaks up on stderr only when something is wrong.
        var logger = Logger(label: "fieldnote.demo.\(name.lowercased())") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let server = SyncServer(store: store, identity: identity, trust: trust, bind: "127.0.0.1", port: 0, logger: logger)
        let port = try server.start()
        defer { server.stop() }
        return try body(port)
    }

    /// Syncs with a device serving on `port`, as `fieldnote sync 127.0.0.1:PORT` does.
    func sync(port: UInt16) throws -> SyncSummary {
        try SyncClient.sync(store: store, identity: identity, trust: trust, host: "127.0.0.1", port: port)
    }

    /// Live notes in `space`.
    func notes(_ space: SpaceID) throws -> [NoteRecord] { try store.notes(space: space, limit: nil) }

    /// Ops held in `space` (from any device).
    func ops(_ space: SpaceID) throws -> Int {
        try store.status().spaces.first { $0.space == space }?.ops ?? 0
    }

    var isIntact: Bool { (try? store.status().isIntact) ?? false }

    func close() { try? store.close() }
}

extension DemoDevice {
    /// Evidence records held (shared here or synced from others).
    func evidenceRecords() throws -> Int { try store.entities(of: .evidence, space: .evidence).count }

    /// The evidence store as `share` and `report` use it here: sealing to the reps this device
    /// knows the keys of, opening what is sealed to it or to its person.
    func evidence() throws -> StoreFindingsAdapter {
        let reps = try trust.peers().filter(\.isRep).compactMap(\.sealingKey)
        return StoreFindingsAdapter(store: store, keys: try EvidenceKeys(personSecret: store.personSecret(), formerSecrets: store.formerPersonSecrets(), reps: reps,
                                                                         device: identity.sealingKey))
    }

    /// Evidence records this device can read: a worker's own, or all of them on the rep's.
    func readableEvidenceRecords() throws -> Int { try evidence().evidence().records.count }
}
