import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// A fresh directory under the system temporary directory, removed when the test is done with it.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fieldnote-transport-\(UUID().uuidString)", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func sub(_ name: String) -> URL { url.appendingPathComponent(name, isDirectory: true) }
}

/// One device with its store, identity and trust list, in its own store directory.
final class Device: @unchecked Sendable {
    let name: String
    let directory: URL
    let store: Store
    let identity: DeviceIdentity
    let trust: TrustList

    /// A device whose new store takes the replica id its key speaks for, as the client makes
    /// them; or `replica`, for a store that claims someone else's.
    init(_ name: String, in temporary: TemporaryDirectory, replica: ReplicaID? = nil) throws {
        self.name = name
        directory = temporary.sub(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        identity = try DeviceIdentity.loadOrCreate(in: directory)
        store = try Store(directory: directory, newReplica: replica ?? identity.replica)
        trust = try TrustList(directory: directory)
    }

    var id: DeviceID { identity.id }

    /// Trusts `other` with `spaces` (read-write unless listed in `readOnly`).
    func trusts(_ other: Device, _ spaces: [SpaceID] = [.team, .evidence], readOnly: Set<SpaceID> = []) throws {
        var grants: [SpaceID: Access] = [:]
        for space in spaces { grants[space] = readOnly.contains(space) ? .readOnly : .readWrite }
        try trust.add(other.id, name: other.name, spaces: grants)
    }

    /// Starts a server on an ephemeral loopback port, runs `body` with the port, stops the server.
    @discardableResult
    func serving<T>(limits: SyncLimits = .default, reports: Reports? = nil, _ body: (UInt16) throws -> T) throws -> T {
        let server = SyncServer(store: store, identity: identity, trust: trust, bind: "127.0.0.1", port: 0, limits: limits,
                                onSession: { report in reports?.append(report) })
        let port = try server.start()
        defer { server.stop() }
        return try body(port)
    }

    /// Syncs with `server` (which must be serving on `port`).
    @discardableResult
    func sync(port: UInt16, spaces: Set<SpaceID>? = nil, limits: SyncLimits = .default) throws(TransportError) -> SyncSummary {
        try SyncClient.sync(store: store, identity: identity, trust: trust, host: "127.0.0.1", port: port, spaces: spaces,
                            limits: limits, progress: nil)
    }

    /// Every op the store holds in `space`, in serving order.
    func ops(_ space: SpaceID = .team) throws -> [Op] {
        var ops: [Op] = []
        var cursor: OpCursor? = nil
        repeat {
            let page = try store.ops(in: space, above: VersionVector(), after: cursor, limit: 1000)
            ops += page.ops
            cursor = page.next
        } while cursor != nil
        return ops
    }

    /// Live note texts in `space`, sorted.
    func texts(_ space: SpaceID = .team) throws -> [String] {
        try store.notes(space: space, limit: nil).map(\.text).sorted()
    }
}

/// Session reports collected from a server's threads.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SessionReport] = []
    func append(_ report: SessionReport) { lock.lock(); items.append(report); lock.unlock() }
    var all: [SessionReport] { lock.lock(); defer { lock.unlock() }; return items }

    /// Waits briefly for `count` reports (the server reports after the client has returned).
    func waitFor(_ count: Int, seconds: Double = 5) -> [SessionReport] {
        let deadline = Date().addingTimeInterval(seconds)
        while all.count < count && Date() < deadline { usleep(10_000) }
        return all
    }
}

/// Two devices that trust each other with `team` and `evidence`, read-write.
func pair(_ temporary: TemporaryDirectory) throws -> (Device, Device) {
    let a = try Device("alex", in: temporary)
    let b = try Device("bo", in: temporary)
    try a.trusts(b)
    try b.trusts(a)
    return (a, b)
}

/// Ops sorted by id, for comparing two stores' logs.
func sortedIDs(_ ops: [Op]) -> [OpID] { ops.map(\.id).sorted() }

/// Reads one frame off a raw stream: (type, body).
func readRawFrame(_ stream: TLSStream) throws -> (UInt8, [UInt8]) {
    var header = [UInt8](repeating: 0, count: 4)
    try stream.read(into: &header, at: 0, count: 4)
    let length = header.reduce(0) { $0 << 8 | Int($1) }
    var body = [UInt8](repeating: 0, count: length)
    try stream.read(into: &body, at: 0, count: length)
    return (body[0], Array(body.dropFirst()))
}
