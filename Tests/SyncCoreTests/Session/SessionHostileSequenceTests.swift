import Testing
import SyncCore

/// Whatever a hostile peer sends, in any order — HELLOs of any version and replica, batches of
/// any number and space, ACKs and DONEs of any counts — a machine never traps, ends at most once,
/// and finishes only after a HELLO from the replica it expects.
@Suite("Session state machine against random hostile messages")
struct SessionHostileSequenceTests {
    typealias Machine = SyncSessionStateMachine
    static let own = SessionStateMachineTests.laptop
    static let peer = SessionStateMachineTests.phone

    static func randomMessage(_ random: inout SplitMix64) -> Machine.InboundMessage {
        let spaces: [SpaceID] = [.team, .evidence]
        let space = spaces[Int.random(in: 0..<2, using: &random)]
        let small = { (random: inout SplitMix64) in UInt64.random(in: 0...4, using: &random) }
        switch Int.random(in: 0..<4, using: &random) {
        case 0 where Bool.random(using: &random):
            // Half the HELLOs are ones an honest server would send, so some sessions complete.
            return .hello(Hello(minVersion: SyncProtocol.maxVersion, maxVersion: SyncProtocol.maxVersion, replica: peer,
                                maxFrameBytes: 1 << 20, spaces: [HelloSpace(space: .team, accepts: true, vector: VersionVector())]))
        case 0:
            let version = UInt64.random(in: 6...8, using: &random)
            let replica = Bool.random(using: &random) ? peer : [own, ReplicaID(high: 7, low: 7)][Int.random(in: 0..<2, using: &random)]
            let base: VersionVector? = Bool.random(using: &random) ? VersionVector([peer: small(&random)]) : nil
            let entries = spaces.filter { _ in Bool.random(using: &random) }.map {
                HelloSpace(space: $0, accepts: Bool.random(using: &random), vector: VersionVector([own: small(&random)]), base: base)
            }
            return .hello(Hello(minVersion: version, maxVersion: Bool.random(using: &random) ? version : version + 1, replica: replica,
                                maxFrameBytes: Bool.random(using: &random) ? 1 << 20 : 100, spaces: entries))
        case 1: return .batch(number: small(&random), space: space)
        case 2: return .ack(Ack(number: small(&random), applied: small(&random), duplicates: 0))
        default: return .done(Bool.random(using: &random) ? Done(batches: 0, ops: 0) : Done(batches: small(&random), ops: small(&random)))
        }
    }

    @Test func randomMessagesNeverTrapAndFinishOnlyAfterAHello() {
        var finished = 0
        for seed in UInt64(0)..<2_000 {
            var random = SplitMix64(seed: seed)
            let role: Machine.Role = seed % 2 == 0 ? .client : .server
            let hello = Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: Self.own,
                              maxFrameBytes: UInt64(SyncProtocol.maxFrameBytes),
                              spaces: [HelloSpace(space: .team, accepts: true, vector: VersionVector(), base: VersionVector())])
            var machine = Machine(role: role, hello: hello, peerReplica: Self.peer)
            var ended: Machine.Action?
            for _ in 0..<40 {
                let action = machine.next()
                if let ended {
                    #expect(action == ended, "seed \(seed): ended twice")
                    break
                }
                switch action {
                case .send: continue
                case .produceBatch(let number, _):
                    if Bool.random(using: &random) { machine.batchReady(number: number, ops: 1) } else { machine.turnExhausted() }
                case .sendBatch: continue
                case .read: machine.received(Self.randomMessage(&random))
                case .apply(let number, _): machine.batchApplied(number: number, ops: 0, applied: 0, duplicates: 0)
                case .discard(let number, _): machine.batchDiscarded(number: number, ops: 0)
                case .finish:
                    ended = action
                    finished += 1
                    #expect(machine.peerHello?.replica == Self.peer && machine.version == SyncProtocol.maxVersion, "seed \(seed)")
                case .fail:
                    ended = action
                }
            }
        }
        // Some random sequences are whole sessions: the check above has something to check.
        #expect(finished > 0)
    }
}
