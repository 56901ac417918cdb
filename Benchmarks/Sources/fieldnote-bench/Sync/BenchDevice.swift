import Foundation
import Logging
import Storage
import SyncCore
import Transport

/// A device as the sync benchmark needs one: an identity and trust list that stay, and a store
/// that can be swapped for an empty one between runs (an initial sync needs a fresh receiver,
/// and making a new identity and trust for each would time OpenSSL key generation instead).
///
/// Not Sendable: each device is used from the benchmark's thread only; the server it starts
/// runs its sessions on threads of its own, holding the store, which is Sendable.
final class BenchDevice {
    let name: String
    let home: URL
    let identity: DeviceIdentity
    let trust: TrustList
    private(set) var store: Store
    private(set) var storeDirectory: URL
    private var generation = 0

    init(_ name: String, in root: URL) throws {
        self.name = name
        home = root.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        identity = try DeviceIdentity.loadOrCreate(in: home)
        trust = try TrustList(directory: home)
        storeDirectory = home.appendingPathComponent("store-0", isDirectory: true)
        store = try Store(directory: storeDirectory, newReplica: identity.replica)
    }

    /// Trusts `other` with `team` and `evidence`, read-write, as `peers add` does.
    func trusts(_ other: BenchDevice) throws {
        try trust.add(other.identity.id, name: other.name, spaces: [.team: .readWrite, .evidence: .readWrite])
    }

    /// Closes and deletes the store, and opens an empty one in its place.
    func replaceStore() throws {
        try store.close()
        try? FileManager.default.removeItem(at: storeDirectory)
        generation += 1
        storeDirectory = home.appendingPathComponent("store-\(generation)", isDirectory: true)
        store = try Store(directory: storeDirectory, newReplica: identity.replica)
    }

    /// Adds `drafts` through `Store.addNotes`, 1,000 per transaction: the fastest way the
    /// library offers to fill a store.
    func fill(_ drafts: [NoteDraft]) throws {
        for start in stride(from: 0, to: drafts.count, by: 1_000) {
            _ = try store.addNotes(Array(drafts[start..<min(start + 1_000, drafts.count)]))
        }
    }

    /// Serves on a free loopback port, with the server's log quiet but for warnings.
    func startServer() throws -> SyncServer {
        var logger = Logger(label: "fieldnote-bench.\(name)") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let server = SyncServer(store: store, identity: identity, trust: trust, bind: "127.0.0.1", port: 0, logger: logger)
        try server.start()
        return server
    }

    /// One sync session with the device serving on `port`, on this thread.
    func sync(port: UInt16) throws -> SyncSummary {
        try SyncClient.sync(store: store, identity: identity, trust: trust, host: "127.0.0.1", port: port)
    }

    func close() { try? store.close() }
}
