import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// The skew matrix over real sessions: a device whose clock is hours, a day or years wrong, in
/// either direction, syncs in either role; a write made after seeing another always wins over
/// it, whichever clock is ahead; and no device's clock is dragged along by a wrong one.
@Suite("Clock skew in sync")
struct ClockSkewSyncTests {
    static let hour: Int64 = 3_600_000
    static let year: Int64 = 365 * 24 * hour

    /// A device whose store's wall clock is `offset` milliseconds off the system's.
    final class SkewedDevice: @unchecked Sendable {
        // Unchecked: every property is a constant set in init; the store and trust list are themselves thread-safe.
        let store: Store
        let identity: DeviceIdentity
        let trust: TrustList
        init(_ name: String, offset: Int64, in temporary: TemporaryDirectory) throws {
            let directory = temporary.sub(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            identity = try DeviceIdentity.loadOrCreate(in: directory)
            store = try Store(location: StoreLocation(directory: directory), newReplica: identity.replica,
                              wallClock: { UInt64(Int64(Store.systemMillis()) + offset) })
            trust = try TrustList(directory: directory)
        }

        func sync(port: UInt16) throws {
            try SyncClient.sync(store: store, identity: identity, trust: trust, host: "127.0.0.1", port: port)
        }
    }

    static func pair(offset: Int64, _ temporary: TemporaryDirectory) throws -> (Device, SkewedDevice) {
        let local = try Device("local", in: temporary)
        let skewed = try SkewedDevice("skewed", offset: offset, in: temporary)
        try local.trust.add(skewed.identity.id, name: "skewed", spaces: [.team: .readWrite])
        try skewed.trust.add(local.id, name: "local", spaces: [.team: .readWrite])
        return (local, skewed)
    }

    /// The local store's clock is still near the system's: its next op is not stamped ahead.
    static func expectClockNotDragged(_ device: Device) throws {
        let id = try device.store.addNote(text: "written after the sync")
        let stamp = try device.store.note(id).created.millis
        #expect(stamp <= Store.systemMillis() + HybridLogicalClock.maximumAdvance, "the local clock moved to \(stamp)")
    }

    static func caseload(_ store: Store, _ note: EntityID) throws -> FieldValue? {
        try store.note(note).fields["caseload"]
    }

    /// Each side overwrites the other's value after seeing it, syncing in between (the skewed
    /// device as client, then as server): the last write wins on both, whatever the clocks say.
    @Test(arguments: [2 * hour, -2 * hour, 25 * hour, -25 * hour, 3 * year])
    func everyDeviceSyncsAndTheCausallyLaterWriteWins(offset: Int64) throws {
        let temporary = TemporaryDirectory()
        let (local, skewed) = try Self.pair(offset: offset, temporary)
        let note = try skewed.store.addNote(text: "caseload this week", fields: ["caseload": .int(10)])
        try local.serving { port in try skewed.sync(port: port) }
        #expect(try Self.caseload(local.store, note) == .int(10))

        try local.store.setField(note: note, key: "caseload", value: .int(20))
        try local.serving { port in try skewed.sync(port: port) }
        #expect(try Self.caseload(skewed.store, note) == .int(20))
        #expect(try Self.caseload(local.store, note) == .int(20))

        try skewed.store.setField(note: note, key: "caseload", value: .int(30))
        let server = SyncServer(store: skewed.store, identity: skewed.identity, trust: skewed.trust, port: 0)
        let port = try server.start()
        defer { server.stop() }
        try local.sync(port: port)
        #expect(try Self.caseload(local.store, note) == .int(30))
        #expect(try Self.caseload(skewed.store, note) == .int(30))
        #expect(try local.texts() == ["caseload this week"])
        try Self.expectClockNotDragged(local)
    }

    /// The reported case: an op stamped just under a day ahead reaches a store, and a device two
    /// hours behind still syncs with that store afterwards; its later write wins.
    @Test func aDeviceBehindStillSyncsAfterAPeerFarAhead() throws {
        let temporary = TemporaryDirectory()
        let (local, ahead) = try Self.pair(offset: 23 * Self.hour + 58 * 60_000, temporary)
        let behind = try SkewedDevice("behind", offset: -2 * Self.hour, in: temporary)
        try local.trust.add(behind.identity.id, name: "behind", spaces: [.team: .readWrite])
        try behind.trust.add(local.id, name: "local", spaces: [.team: .readWrite])
        let note = try ahead.store.addNote(text: "shared", fields: ["caseload": .int(5)])
        try local.serving { port in
            try ahead.sync(port: port)
            try behind.sync(port: port)
        }
        try behind.store.setField(note: note, key: "caseload", value: .int(6))
        try local.serving { port in
            try behind.sync(port: port)
            try ahead.sync(port: port)
        }
        for store in [local.store, ahead.store, behind.store] {
            #expect(try Self.caseload(store, note) == .int(6))
        }
        try Self.expectClockNotDragged(local)
    }
}
