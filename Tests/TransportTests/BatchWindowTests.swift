import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// The window of unacknowledged batches (Protocol.md 2.4), filled and drained both ways. (Peers
/// that speak only earlier versions are refused in `HostileClientTests`.)
@Suite("Batch window")
struct BatchWindowTests {
    /// Many small batches each way, so a window of four is filled and drained more than once.
    static var smallBatches: SyncLimits {
        var limits = SyncLimits()
        limits.batchOps = 15
        return limits
    }

    @Test func manyBatchesEachWayConverge() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        for index in 0..<40 { try a.store.addNote(text: "Server note \(index)", tags: ["caseload"]) }
        for index in 0..<30 { try b.store.addNote(text: "Client note \(index)", fields: ["caseload": .int(Int64(20 + index))]) }
        let summary = try a.serving(limits: Self.smallBatches) { port in
            try b.sync(port: port, limits: Self.smallBatches)
        }
        #expect(summary.version == SyncProtocol.maxVersion)
        #expect(summary.sent.batches > SyncProtocol.batchWindow && summary.received.batches > SyncProtocol.batchWindow)
        #expect(try summary.sent.applied + summary.received.applied == b.ops().count)
        #expect(try a.texts() == b.texts())
        #expect(try a.texts().count == 70)
        #expect(try sortedIDs(a.ops()) == sortedIDs(b.ops()))
        #expect(try a.store.versionVectors() == b.store.versionVectors())
    }
}
