import Testing
import SyncCore

/// Seeded faults at every message boundary — cut, duplicated, delayed by the interleaving —
/// between random stores with random memories: a broken session leaves whole batches only, a
/// duplicate is refused as a protocol error, and the next clean session converges.
@Suite("Session state machine under faults")
struct SessionFaultTests {
    static func randomDevices(_ random: inout SplitMix64) -> (MemoryDevice, MemoryDevice) {
        let grants: [SpaceID: Bool] = [.team: true, .evidence: Bool.random(using: &random)]
        var client = MemoryDevice(replica: SessionStateMachineTests.laptop, grants: [.team: true, .evidence: true])
        var server = MemoryDevice(replica: SessionStateMachineTests.phone, grants: grants)
        for space in [SpaceID.team, .evidence] {
            client.write(Int.random(in: 0...9, using: &random), in: space)
            server.write(Int.random(in: 0...9, using: &random), in: space)
            switch Int.random(in: 0...3, using: &random) {
            case 0: break
            case 1: client.remembered[space] = VersionVector()
            case 2: client.remembered[space] = server.vector(space)
            default: client.remembered[space] = VersionVector([SessionStateMachineTests.phone: 50])
            }
        }
        return (client, server)
    }

    @Test func faultsAtMessageBoundariesLeaveWholeBatchesAndTheNextSessionConverges() {
        var faults = 0
        for seed in UInt64(0)..<400 {
            var random = SplitMix64(seed: seed)
            let (client, server) = Self.randomDevices(&random)
            let clean = SessionStateMachineTests.session(client, server, seed: seed)
            #expect(clean.client.outcome == .finish && clean.server.outcome == .finish, "seed \(seed): \(clean.messages)")
            let count = clean.messages.count
            let fault: PipeFault = Bool.random(using: &random)
                ? .cut(before: Int.random(in: 1...count, using: &random))
                : .duplicate(Int.random(in: 1...count, using: &random))
            let broken = SessionStateMachineTests.session(client, server, fault: fault, seed: seed &+ 7)
            let context = "seed \(seed), \(fault): \(broken.messages)"
            if case .duplicate = fault, broken.client.outcome == .finish, broken.server.outcome == .finish {
                // Only a message after which the other side had already finished goes unread.
                #expect(broken.messages.count == count, "\(context)")
            } else {
                faults += 1
                #expect(broken.client.outcome != .finish || broken.server.outcome != .finish, "\(context)")
            }
            if case .duplicate = fault {
                for side in [broken.client, broken.server] {
                    if case .fail(let error, let notify) = side.outcome, !error.fromPeer, error.code != SessionError.Code(rawValue: "connection_lost") {
                        #expect([.malformed, .unexpectedMessage].contains(error.code) && notify, "\(context): \(error)")
                    }
                }
            }
            // Whole batches: every op either side holds is one of the two stores' to begin with.
            for space in [SpaceID.team, .evidence] {
                let all = (client.ops[space] ?? []).union(server.ops[space] ?? [])
                #expect((broken.client.device.ops[space] ?? []).isSubset(of: all), "\(context)")
                #expect((broken.server.device.ops[space] ?? []).isSubset(of: all), "\(context)")
            }
            let after = SessionStateMachineTests.session(broken.client.device, broken.server.device, seed: seed &+ 13)
            #expect(after.client.outcome == .finish && after.server.outcome == .finish, "\(context) then \(after.messages)")
            let spaces = server.grants[.evidence] == true ? [SpaceID.team, .evidence] : [.team]
            for space in spaces {
                let union = (client.ops[space] ?? []).union(server.ops[space] ?? [])
                #expect(after.client.device.ops[space] ?? [] == union && after.server.device.ops[space] ?? [] == union, "\(context): \(space)")
            }
        }
        #expect(faults > 300)
    }
}
