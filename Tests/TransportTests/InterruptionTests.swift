import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// Connections cut in the middle of a sync, and a server stopping with sessions in flight.
@Suite("Interrupted sync")
struct InterruptionTests {
    static var smallBatches: SyncLimits {
        var limits = SyncLimits()
        limits.batchOps = 150
        return limits
    }

    /// What both stores hold is whole: every op once, the vectors account for exactly the ops held.
    private func expectIntact(_ device: Device) throws {
        for space in [SpaceID.team, .evidence] {
            let ops = try device.ops(space)
            #expect(Set(ops.map(\.id)).count == ops.count, "duplicate ops in \(device.name)")
            #expect(ops.map(\.span).reduce(0, +) == (try device.store.versionVector(space).total))
        }
        _ = try device.store.notes(limit: nil)
    }

    /// Cut by a proxy at a byte of the TCP stream (TLS records included), in either direction.
    @Test(arguments: [
        (FaultProxy.Direction.toClient, 8_000), (.toClient, 15_000), (.toClient, 23_000),
        (.toServer, 6_000), (.toServer, 11_000), (.toServer, 17_000),
    ])
    func cutMidSyncLosesAndDuplicatesNothing(direction: FaultProxy.Direction, offset: Int) throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try a.store.addNotes((0..<1000).map { NoteDraft(text: "A's note \($0) about caseload and supervision") })
        try b.store.addNotes((0..<1000).map { NoteDraft(text: "B's note \($0) about referrals", space: $0 % 2 == 0 ? .team : .evidence) })
        let aBefore = try a.ops().count
        try a.serving(limits: Self.smallBatches) { port in
            let proxy = try FaultProxy(forwardingTo: port)
            defer { proxy.stop() }
            proxy.next([FaultProxy.Plan(direction: direction, offset: offset, fault: .cut)])
            do {
                try b.sync(port: proxy.port, limits: Self.smallBatches)
                Issue.record("the cut did not happen")
            } catch let error as TransportError {
                #expect(error.code == .connectionLost, "\(error)")
            }
        }
        try expectIntact(a)
        try expectIntact(b)
        // Part of the ops went one way; nothing is half-applied. The next sync completes.
        try a.serving(limits: Self.smallBatches) { port in try b.sync(port: port, limits: Self.smallBatches) }
        try expectIntact(a)
        try expectIntact(b)
        for space in [SpaceID.team, .evidence] {
            #expect(try sortedIDs(a.ops(space)) == sortedIDs(b.ops(space)))
            #expect(try a.texts(space) == b.texts(space))
        }
        #expect(try a.texts().count == 1500)
        #expect(try a.ops().count > aBefore)
        // And a third sync has nothing to send.
        let again = try a.serving { port in try b.sync(port: port) }
        #expect(again.sent.ops == 0 && again.received.ops == 0)
    }

    /// `stop()` while a session streams: the session ends at a batch boundary, the stores stay
    /// whole, and a later sync completes.
    @Test func serverStopsWithASessionInFlight() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try b.store.addNotes((0..<1500).map { NoteDraft(text: "B's note \($0)") })
        var limits = Self.smallBatches
        limits.shutdownGrace = .seconds(5)
        let server = SyncServer(store: a.store, identity: a.identity, trust: a.trust, port: 0, limits: limits)
        let port = try server.start()
        let stopped = NSCondition()
        nonisolated(unsafe) var stopRequested = false
        let outcome: Result<SyncSummary, TransportError> = Result { () throws(TransportError) in
            try SyncClient.sync(store: b.store, identity: b.identity, trust: b.trust, host: "127.0.0.1", port: port,
                                spaces: nil, limits: limits, progress: { progress in
                stopped.lock()
                defer { stopped.unlock() }
                if progress.ops >= 300 && !stopRequested {
                    stopRequested = true
                    Thread { server.stop() }.start()
                    usleep(50_000)
                }
            })
        }
        server.stop()
        if case .failure(let error) = outcome {
            #expect(error.code == .shuttingDown || error.code == .connectionLost, "\(error)")
        }
        try expectIntact(a)
        try expectIntact(b)
        #expect(try a.texts().count < 1500)
        try a.serving { port in try b.sync(port: port) }
        #expect(try sortedIDs(a.ops()) == sortedIDs(b.ops()))
        #expect(try a.texts().count == 1500)
    }

    /// `stop()` when a session outlives the shutdown grace: a client that said HELLO, read the
    /// server's, and then went silent. The server waits out the grace, cuts it, and returns once
    /// its thread has ended (it trapped there, waiting without a deadline).
    @Test func serverStopsPastTheGraceWithASilentSession() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try b.store.addNote(text: "held back by a silent client")
        var limits = SyncLimits()
        limits.shutdownGrace = .milliseconds(100)
        let server = SyncServer(store: a.store, identity: a.identity, trust: a.trust, port: 0, limits: limits)
        let port = try server.start()
        let client = try ScriptedClient(b, port: port)
        try client.stream.write(Frame.encode(.hello, try client.hello([.team]).encode()))
        #expect(MessageType(rawValue: try client.read().type) == .hello)
        let started = ContinuousClock.now
        server.stop()
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        try expectIntact(a)
        #expect(try a.texts().isEmpty)
        try a.serving { port in _ = try b.sync(port: port) }
        #expect(try a.texts() == ["held back by a silent client"])
    }
}
