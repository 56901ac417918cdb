import Testing
import SyncCore

/// What a hostile or broken peer can send, one message at a time, to a machine on its own; each
/// is refused with the code Protocol.md 2.7 names, and the peer is told.
@Suite("Session state machine refusals")
struct SessionRefusalTests {
    typealias Machine = SyncSessionStateMachine
    static let own = SessionStateMachineTests.laptop
    static let peer = SessionStateMachineTests.phone

    static func hello(_ replica: ReplicaID, versions: ClosedRange<UInt64> = SyncProtocol.minVersion...SyncProtocol.maxVersion,
                      spaces: [HelloSpace] = [HelloSpace(space: .team, accepts: true, vector: VersionVector())]) -> Hello {
        Hello(minVersion: versions.lowerBound, maxVersion: versions.upperBound, replica: replica,
              maxFrameBytes: UInt64(SyncProtocol.maxFrameBytes), spaces: spaces)
    }

    static func server(accepts: Bool = true) -> Machine {
        Machine(role: .server, hello: hello(own, spaces: [HelloSpace(space: .team, accepts: accepts, vector: VersionVector())]), peerReplica: peer)
    }

    static func client() -> Machine {
        var machine = Machine(role: .client, hello: hello(own), peerReplica: peer)
        let first = machine.next()
        #expect(first == .send(.hello(hello(own))))
        return machine
    }

    /// Feeds `events` — the machine, with nothing of its own to send, sends what it must between
    /// them — and expects it to fail with `code`, telling the peer.
    static func expectRefusal(_ machine: inout Machine, _ code: SessionError.Code, after events: [Machine.InboundMessage]) {
        for event in events {
            actions: while true {
                switch machine.next() {
                case .send: continue
                case .produceBatch: machine.turnExhausted()
                default: break actions
                }
            }
            machine.received(event)
        }
        guard case .fail(let error, let notify) = machine.next() else {
            Issue.record("not refused: \(String(describing: machine.next()))"); return
        }
        #expect(error.code == code, "\(error)")
        #expect(notify)
    }

    @Test func versionsThatDoNotMeetAreRefused() {
        var server = Self.server()
        Self.expectRefusal(&server, .versionMismatch, after: [.hello(Self.hello(Self.peer, versions: 3...6))])
        var client = Self.client()
        Self.expectRefusal(&client, .versionMismatch, after: [.hello(Self.hello(Self.peer, versions: 8...8))])
        var ranged = Self.client()
        Self.expectRefusal(&ranged, .versionMismatch, after: [.hello(Self.hello(Self.peer, versions: 7...8))])
    }

    @Test func aHelloForAnotherReplicaOrThisOneIsRefused() {
        var forged = Self.server()
        Self.expectRefusal(&forged, .forged, after: [.hello(Self.hello(ReplicaID(high: 9, low: 9)))])
        var itself = Self.server()
        Self.expectRefusal(&itself, .selfConnection, after: [.hello(Self.hello(Self.own))])
        var small = Self.server()
        var tiny = Self.hello(Self.peer)
        tiny.maxFrameBytes = 1024
        Self.expectRefusal(&small, .malformed, after: [.hello(tiny)])
    }

    @Test func messagesOutOfTurnAreRefused() {
        var early = Self.server()
        Self.expectRefusal(&early, .unexpectedMessage, after: [.batch(number: 1, space: .team)])
        var twice = Self.server()
        Self.expectRefusal(&twice, .unexpectedMessage, after: [.hello(Self.hello(Self.peer)), .hello(Self.hello(Self.peer))])
        var stray = Self.server()
        Self.expectRefusal(&stray, .unexpectedMessage, after: [.hello(Self.hello(Self.peer)), .ack(Ack(number: 1, applied: 0, duplicates: 0))])
        var serverBase = Self.client()
        Self.expectRefusal(&serverBase, .malformed, after: [.hello(Self.hello(Self.peer, spaces: [
            HelloSpace(space: .team, accepts: true, vector: VersionVector(), base: VersionVector()),
        ]))])
    }

    @Test func anOpeningBatchWithoutABaseIsRefused() {
        var server = Self.server()
        Self.expectRefusal(&server, .malformed, after: [.hello(Self.hello(Self.peer)), .batch(number: 1, space: .team)])
    }

    @Test func batchesOutOfOrderOrCountedWronglyAreRefused() {
        var skipped = Self.server()
        let based = Self.hello(Self.peer, spaces: [HelloSpace(space: .team, accepts: true, vector: VersionVector(), base: VersionVector())])
        Self.expectRefusal(&skipped, .malformed, after: [.hello(based), .batch(number: 2, space: .team)])
        var miscounted = Self.server()
        Self.expectRefusal(&miscounted, .malformed, after: [.hello(Self.hello(Self.peer)), .done(Done(batches: 1, ops: 4))])
    }

    /// In the closing turn, a batch for a space the receiver takes read-only, or does not
    /// exchange, is refused.
    @Test func aClosingBatchForASpaceTheServerDoesNotTakeIsRefused() throws {
        let other = try SpaceID("other")
        for (space, code) in [(SpaceID.team, SessionError.Code.readOnly), (other, .spaceNotGranted)] {
            var server = Machine(role: .server, hello: Self.hello(Self.own, spaces: [
                HelloSpace(space: .evidence, accepts: true, vector: VersionVector()),
                HelloSpace(space: .team, accepts: false, vector: VersionVector()),
            ]), peerReplica: Self.peer)
            let client = Self.hello(Self.peer, spaces: [.evidence, other, .team].map { HelloSpace(space: $0, accepts: true, vector: VersionVector()) })
            // After the server's answer (nothing to send, then DONE), the closing turn, for evidence.
            Self.expectRefusal(&server, code, after: [.hello(client), .done(Done(batches: 0, ops: 0)), .batch(number: 1, space: space)])
        }
    }

    @Test func aDeadlineFailsTheSessionTellingThePeerOnlyWhenIdle() {
        var idle = Self.client()
        idle.deadlinePassed(.idle)
        let action = idle.next()
        #expect(action == .fail(SessionError(.timedOut, "the peer sent nothing within the idle limit"), notifyPeer: true))
        var phase = Self.client()
        phase.deadlinePassed(.phase("the HELLO exchange"))
        guard case .fail(let error, let notify) = phase.next() else { Issue.record("not failed"); return }
        #expect(error.code == .timedOut && !notify)
    }

    @Test func anErrorFromThePeerIsNotAnswered() {
        var client = Self.client()
        client.failed(SessionError(.busy, "no slot", fromPeer: true))
        guard case .fail(let error, let notify) = client.next() else { Issue.record("not failed"); return }
        #expect(error.code == .busy && !notify)
    }
}
