import Testing
import SyncCore

/// The session's rules (Protocol.md 2.4) over an in-memory pipe: what converges, in how many
/// round trips, and what a fault at any message boundary leaves behind.
@Suite("Session state machine")
struct SessionStateMachineTests {
    static let laptop = ReplicaID(high: 1, low: 1)
    static let phone = ReplicaID(high: 2, low: 2)

    static func devices(_ grants: [SpaceID: Bool] = [.team: true, .evidence: true]) -> (MemoryDevice, MemoryDevice) {
        (MemoryDevice(replica: laptop, grants: grants), MemoryDevice(replica: phone, grants: grants))
    }

    /// Runs one session; returns it after checking that it ended without a deadlock. Batches of
    /// three ops by default, so windows fill and drain; the round-trip tests use batches the size
    /// of a small store's, as the reference sender's 8 000-op pages are.
    static func session(_ client: MemoryDevice, _ server: MemoryDevice, fault: PipeFault = .none, seed: UInt64 = 1,
                        batchOps: Int = 3) -> PipeSession {
        var session = PipeSession(client: client, server: server, fault: fault, batchOps: batchOps)
        var random = SplitMix64(seed: seed)
        let ended = session.run(using: &random)
        #expect(ended, "deadlock: \(session.messages)")
        return session
    }

    static func expectConverged(_ a: MemoryDevice, _ b: MemoryDevice, _ spaces: [SpaceID] = [.team, .evidence], _ context: String = "") {
        for space in spaces {
            #expect(a.ops[space] ?? [] == b.ops[space] ?? [], "\(space) differs \(context)")
        }
    }

    @Test func aFirstSyncConvergesInTwoRoundTripsAndIsRemembered() {
        var (client, server) = Self.devices()
        client.write(5, in: .team)
        server.write(7, in: .team)
        server.write(2, in: .evidence)
        let first = Self.session(client, server, batchOps: 100)
        #expect(first.client.outcome == .finish && first.server.outcome == .finish)
        Self.expectConverged(first.client.device, first.server.device)
        // HELLO and an empty opening; the server's answer; the client's closing turn, acknowledged.
        #expect(first.client.clock == 2, "\(first.messages)")
        #expect(first.client.machine.closingSpaces == [.evidence, .team])
        #expect(first.client.device.remembered[.team] == first.server.device.vector(.team))
    }

    @Test func aClientWithNothingToSendFinishesInOneRoundTrip() {
        var (client, server) = Self.devices()
        server.write(20, in: .team)
        let session = Self.session(client, server, batchOps: 100)
        Self.expectConverged(session.client.device, session.server.device)
        #expect(session.client.clock == 1, "\(session.messages)")
    }

    /// Devices that synced before: the client's ops go with its HELLO, the server's come back
    /// with its HELLO and the ACKs — one round trip after the handshake, both ways.
    @Test func anIncrementalSyncTakesOneRoundTrip() {
        var (client, server) = Self.devices()
        client.write(3, in: .team)
        server.write(4, in: .evidence)
        let first = Self.session(client, server)
        client = first.client.device
        server = first.server.device
        client.write(2, in: .team)
        client.write(1, in: .evidence)
        server.write(5, in: .team)
        let again = Self.session(client, server, batchOps: 100)
        #expect(again.client.outcome == .finish && again.server.outcome == .finish)
        Self.expectConverged(again.client.device, again.server.device)
        #expect(again.client.clock == 1, "\(again.messages)")
        #expect(again.client.machine.closingSpaces.isEmpty)
        #expect(again.server.machine.received.discarded == 0)
        #expect(again.client.machine.sent.ops == 3 && again.server.machine.sent.ops == 5)
    }

    /// A memory that claims more than the server holds (it lost a store, or a power cut took the
    /// last batches it applied): the server sets the opening batches aside, the client learns
    /// from the server's HELLO, and its closing turn sends everything missing.
    @Test func aWrongMemoryCostsOneTurnAndNoOp() {
        var (client, server) = Self.devices()
        client.write(6, in: .team)
        client.remembered[.team] = VersionVector([Self.laptop: 4])
        client.remembered[.evidence] = VersionVector()
        let session = Self.session(client, server, batchOps: 100)
        #expect(session.client.outcome == .finish)
        Self.expectConverged(session.client.device, session.server.device)
        #expect(session.server.machine.received.discarded == 1)
        #expect(session.client.machine.closingSpaces == [.team])
        #expect(session.client.clock == 2)
    }

    /// A memory of less than the server holds costs only duplicates.
    @Test func aStaleMemorySendsDuplicatesOnly() {
        var (client, server) = Self.devices([.team: true])
        client.write(4, in: .team)
        server.ops[.team] = client.ops[.team]
        client.remembered[.team] = VersionVector()
        let session = Self.session(client, server, batchOps: 100)
        #expect(session.client.outcome == .finish)
        #expect(session.client.machine.sent.ops == 4 && session.client.machine.sent.applied == 0)
        #expect(session.client.clock == 1)
    }

    /// Read-only for the client: its ops are never sent; the server's are.
    @Test func aReadOnlyGrantSendsOneWay() {
        var client = MemoryDevice(replica: Self.laptop, grants: [.team: true])
        var server = MemoryDevice(replica: Self.phone, grants: [.team: false])
        client.write(3, in: .team)
        server.write(3, in: .team)
        client.remembered[.team] = VersionVector()
        let session = Self.session(client, server)
        #expect(session.client.outcome == .finish && session.server.outcome == .finish)
        #expect(session.server.device.ops[.team]?.count == 3)
        #expect(session.client.device.ops[.team]?.count == 6)
        #expect(session.server.machine.received.discarded == 1)
    }

    /// Spaces one side does not offer are not exchanged, whatever the other sends.
    @Test func onlySpacesBothOfferAreExchanged() {
        var client = MemoryDevice(replica: Self.laptop, grants: [.team: true, .evidence: true])
        var server = MemoryDevice(replica: Self.phone, grants: [.evidence: true])
        client.write(2, in: .team)
        client.write(2, in: .evidence)
        server.write(1, in: .evidence)
        let session = Self.session(client, server)
        #expect(session.client.machine.exchanged == [.evidence])
        #expect(session.server.device.ops[.team] == nil)
        Self.expectConverged(session.client.device, session.server.device, [.evidence])
    }
}
