import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// Sync through a proxy that cuts, stalls and corrupts the byte stream (`FaultProxy`), in seeded
/// trials: whatever the fault, neither side crashes, both stores pass the integrity check, and
/// after a clean sync both hold the same ops — every op either side ever wrote, each once.
///
/// `FIELDNOTE_FAULT_TRIALS` sets the number of trials (default 100); `FIELDNOTE_FAULT_SEED` the seed.
@Suite("Faults on the wire")
struct FaultProxyTests {
    static var trials: Int { Int(ProcessInfo.processInfo.environment["FIELDNOTE_FAULT_TRIALS"] ?? "") ?? 100 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["FIELDNOTE_FAULT_SEED"] ?? "") ?? 7 }

    /// Short deadlines so that a stalled or broken session fails fast, and small batches so that
    /// a session has many frames for a fault to land in.
    static var limits: SyncLimits {
        var limits = SyncLimits()
        limits.connectTimeout = .seconds(2)
        limits.handshakeTimeout = .milliseconds(600)
        limits.helloTimeout = .milliseconds(600)
        limits.idleTimeout = .milliseconds(600)
        limits.batchOps = 16
        limits.shutdownGrace = .milliseconds(200)
        return limits
    }

    /// A random fault somewhere in the first `span` bytes of one direction. A trial's session
    /// moves about 800 bytes of TLS handshake and 300–700 of sync frames each way, so most faults
    /// land in it; the rest fall past its end and that sync completes.
    static func plan(_ random: inout SplitMix64, span: Int) -> FaultProxy.Plan {
        let direction: FaultProxy.Direction = random.next() % 2 == 0 ? .toServer : .toClient
        // Two in three land past the TLS handshake (about 800 bytes), among the sync frames.
        let offset = random.next() % 3 == 0 ? Int(random.next() % UInt64(span)) : 700 + Int(random.next() % UInt64(max(1, span - 700)))
        let fault: FaultProxy.Fault
        switch random.next() % 3 {
        case 0: fault = .cut
        case 1: fault = .stall(milliseconds: 20 + Int(random.next() % 900))
        default: fault = .flip(mask: UInt8(1 + random.next() % 255))
        }
        return FaultProxy.Plan(direction: direction, offset: offset, fault: fault)
    }

    @Test func seededFaultsNeverCorruptOrLoseOps() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        var random = SplitMix64(seed: Self.seed)
        var outcomes: [String: Int] = [:]
        var fired: [String: Int] = [:]
        var written = Set<OpID>()
        var traffic = 0
        let reports = Reports()
        try a.serving(limits: Self.limits, reports: reports) { port in
            for trial in 0..<Self.trials {
                // New work on both sides, in both spaces, so every trial has ops to move each way.
                try a.store.addNotes((0..<Int(1 + random.next() % 12)).map { NoteDraft(text: "A trial \(trial) note \($0) on caseload") })
                try b.store.addNotes((0..<Int(1 + random.next() % 12)).map {
                    NoteDraft(text: "B trial \(trial) note \($0) on referrals", space: $0 % 3 == 0 ? .evidence : .team)
                })
                for device in [a, b] { for space in [SpaceID.team, .evidence] { written.formUnion(try device.ops(space).map(\.id)) } }

                let plans = (0..<Int(1 + random.next() % 2)).map { _ in Self.plan(&random, span: 1_500) }
                let proxy = try FaultProxy(forwardingTo: port)
                proxy.next(plans)
                let outcome: String
                do {
                    try b.sync(port: proxy.port, limits: Self.limits)
                    outcome = "completed"
                } catch let error as TransportError {
                    outcome = error.code.rawValue
                }
                proxy.stop()
                traffic += max(proxy.traffic.toServer, proxy.traffic.toClient)
                outcomes[outcome, default: 0] += 1
                for plan in proxy.fired { fired["\(plan.fault)".split(separator: " ").first.map(String.init) ?? "", default: 0] += 1 }

                for device in [a, b] {
                    let status = try device.store.status()
                    #expect(status.isIntact, "trial \(trial) (\(plans)): \(device.name): \(status.integrity)")
                }
                // A clean sync straight to the server finishes the job. With the client's usual
                // deadlines: the server may still be ending the faulty trial's session (one at a
                // time per device), which took longer than the short HELLO deadline on a loaded
                // machine.
                do { try b.sync(port: port) } catch {
                    Issue.record("trial \(trial) (\(plans)): the clean sync failed: \(error)")
                    return
                }
                for space in [SpaceID.team, .evidence] {
                    let (opsA, opsB) = (try a.ops(space), try b.ops(space))
                    let idsA = Set(opsA.map(\.id)), idsB = Set(opsB.map(\.id))
                    #expect(idsA.count == opsA.count && idsB.count == opsB.count, "trial \(trial): a duplicated op in \(space)")
                    #expect(idsA == idsB, "trial \(trial) (\(plans)): \(space) differs: \(idsA.symmetricDifference(idsB).count) ops")
                    #expect(opsA.map(\.span).reduce(0, +) == (try a.store.versionVector(space).total))
                    #expect(try a.texts(space) == b.texts(space), "trial \(trial): \(space) texts differ")
                }
                let held = Set(try [SpaceID.team, .evidence].flatMap { try a.ops($0).map(\.id) })
                #expect(written.isSubset(of: held), "trial \(trial) (\(plans)): \(written.subtracting(held).count) ops lost")
            }
        }
        print("fault proxy: \(Self.trials) trials (seed \(Self.seed)); faulted sync outcomes \(outcomes.sorted { $0.key < $1.key }); faults fired \(fired.sorted { $0.key < $1.key }); ops held \(written.count); \(traffic / max(1, Self.trials)) bytes a direction a faulted session on average")
        #expect((outcomes["completed"] ?? 0) < Self.trials, "no fault ever broke a sync: the proxy is not in the path")
    }
}
