import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// A peer whose clock runs years ahead is refused during sync with an error naming the skew, in
/// either role, and the local clock is not dragged forward; a peer a few minutes ahead merges.
@Suite("Clock skew in sync")
struct ClockSkewSyncTests {
    static let year: UInt64 = 365 * 86_400_000

    /// A device whose store's wall clock runs `ahead` milliseconds ahead of the system's.
    final class SkewedDevice: @unchecked Sendable {
        let store: Store
        let identity: DeviceIdentity
        let trust: TrustList
        init(_ name: String, ahead: UInt64, in temporary: TemporaryDirectory) throws {
            let directory = temporary.sub(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            identity = try DeviceIdentity.loadOrCreate(in: directory)
            store = try Store(location: StoreLocation(directory: directory), newReplica: identity.replica,
                              wallClock: { Store.systemMillis() + ahead })
            trust = try TrustList(directory: directory)
        }
    }

    static func pair(ahead: UInt64, _ temporary: TemporaryDirectory) throws -> (Device, SkewedDevice) {
        let local = try Device("local", in: temporary)
        let skewed = try SkewedDevice("skewed", ahead: ahead, in: temporary)
        try local.trust.add(skewed.identity.id, name: "skewed", spaces: [.team: .readWrite])
        try skewed.trust.add(local.id, name: "local", spaces: [.team: .readWrite])
        return (local, skewed)
    }

    /// The local store's clock is still near the system's: its next op is not stamped years ahead.
    static func expectClockNotDragged(_ device: Device) throws {
        let id = try device.store.addNote(text: "written after the refusal")
        let stamp = try device.store.note(id).created.millis
        #expect(stamp < Store.systemMillis() + 60_000, "the local clock moved to \(stamp)")
    }

    @Test func aPeerYearsAheadIsRefusedWhenItSends() throws {
        let temporary = TemporaryDirectory()
        let (local, skewed) = try Self.pair(ahead: 3 * Self.year, temporary)
        try skewed.store.addNote(text: "from the future")
        try local.serving { port in
            let error = #expect(throws: TransportError.self) {
                try SyncClient.sync(store: skewed.store, identity: skewed.identity, trust: skewed.trust, host: "127.0.0.1", port: port)
            }
            #expect(error?.code == .clockSkew, "\(String(describing: error))")
            #expect(error?.fromPeer == true)
            #expect(error?.message.contains("ahead of this device") == true, "\(String(describing: error))")
            #expect(error?.message.contains("days") == true, "the error does not name the skew: \(String(describing: error))")
        }
        #expect(try local.texts().isEmpty)
        try Self.expectClockNotDragged(local)
    }

    @Test func aPeerYearsAheadIsRefusedWhenItServes() throws {
        let temporary = TemporaryDirectory()
        let (local, skewed) = try Self.pair(ahead: 3 * Self.year, temporary)
        try skewed.store.addNote(text: "from the future")
        let server = SyncServer(store: skewed.store, identity: skewed.identity, trust: skewed.trust, port: 0)
        let port = try server.start()
        defer { server.stop() }
        let error = #expect(throws: TransportError.self) { try local.sync(port: port) }
        #expect(error?.code == .clockSkew && error?.fromPeer == false, "\(String(describing: error))")
        #expect(error?.message.contains("1095 days ahead") == true || error?.message.contains("1094 days ahead") == true,
                "\(String(describing: error))")
        #expect(try local.texts().isEmpty)
        try Self.expectClockNotDragged(local)
    }

    @Test func aPeerAFewMinutesAheadMergesNormally() throws {
        let temporary = TemporaryDirectory()
        let (local, skewed) = try Self.pair(ahead: 5 * 60_000, temporary)
        try skewed.store.addNote(text: "five minutes ahead")
        try local.store.addNote(text: "on time")
        try local.serving { port in
            try SyncClient.sync(store: skewed.store, identity: skewed.identity, trust: skewed.trust, host: "127.0.0.1", port: port)
        }
        #expect(try local.texts() == ["five minutes ahead", "on time"])
        #expect(try skewed.store.notes(limit: nil).map(\.text).sorted() == ["five minutes ahead", "on time"])
    }
}
