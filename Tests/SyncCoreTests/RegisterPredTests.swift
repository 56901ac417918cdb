import Testing
@testable import SyncCore

/// Registers whose writes name what they overwrite (`pred`): a write that has seen another always
/// wins over it whatever the clocks say, concurrent writes resolve by (timestamp, replica) alike
/// everywhere, and any causal delivery order converges. Clocks are injected (`ManualClock`).
@Suite("Registers with pred")
struct RegisterPredTests {
    static let hour: Int64 = 3_600_000
    /// The skew matrix: each writer's clock off by one of these.
    static let offsets: [Int64] = [0, 2 * hour, -2 * hour, 25 * hour, -25 * hour]

    /// Three replicas whose clocks are off the first one's by `offsets`.
    static func cluster(seed: UInt64, offsets: [Int64]) -> Cluster {
        var generator = SplitMix64(seed: seed)
        let cluster = Cluster(count: offsets.count, generator: &generator)
        for (clock, offset) in zip(cluster.clocks, offsets) {
            clock.millis = UInt64(Int64(1_800_000_000_000) + offset)
        }
        return cluster
    }

    @Test func aWriteThatSawTheValueWinsWhateverTheClocks() throws {
        for first in Self.offsets {
            for second in Self.offsets {
                let cluster = Self.cluster(seed: 3, offsets: [first, second, 0])
                let (a, b, c) = (cluster.replicas[0], cluster.replicas[1], cluster.replicas[2])
                let note = try a.create(text: "shared")
                try a.setField("caseload", to: .int(10), on: note)
                try cluster.exchangeAll()
                try b.setField("caseload", to: .int(20), on: note)
                try b.setDeleted(true, note)
                try cluster.exchangeAll()
                func expectEverywhere(_ caseload: Int64, deleted: Bool) {
                    for replica in [a, b, c] {
                        let state = replica.state(of: note)
                        #expect(state?.field("caseload") == .int(caseload), "clocks \(first), \(second)")
                        #expect(state?.isDeleted == deleted && state?.fields["caseload"]?.entries.count == 1, "clocks \(first), \(second)")
                    }
                }
                expectEverywhere(20, deleted: true)
                // And back: the first writer, having seen the second's value, wins again.
                try a.setField("caseload", to: .int(30), on: note)
                try a.setDeleted(false, note)
                try cluster.exchangeAll()
                expectEverywhere(30, deleted: false)
                #expect(a.canonicalState.entities == c.canonicalState.entities)
            }
        }
    }

    @Test func concurrentWritesResolveByStampEverywhereUntilAWriteSeesThemAll() throws {
        let cluster = Self.cluster(seed: 5, offsets: [25 * Self.hour, -2 * Self.hour, 0])
        let (a, b, c) = (cluster.replicas[0], cluster.replicas[1], cluster.replicas[2])
        let note = try a.create(text: "shared")
        try cluster.exchangeAll()
        try a.setField("caseload", to: .int(1), on: note)
        try b.setField("caseload", to: .int(2), on: note)
        try cluster.exchangeAll()
        // Concurrent: both survive, and the greater stamp (a's clock, a day ahead) shows.
        for replica in [a, b, c] {
            #expect(replica.state(of: note)?.fields["caseload"]?.entries.count == 2)
            #expect(replica.state(of: note)?.field("caseload") == .int(1))
        }
        // c, whose clock is behind a's, saw both: its write replaces both.
        try c.setField("caseload", to: .int(3), on: note)
        try cluster.exchangeAll()
        for replica in [a, b, c] {
            #expect(replica.state(of: note)?.fields["caseload"]?.entries.map(\.value) == [.int(3)])
        }
    }

    @Test func aPeerFarAheadDoesNotDragTheClock() throws {
        let cluster = Self.cluster(seed: 7, offsets: [25 * Self.hour, 0])
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create(text: "from tomorrow")
        try cluster.sync(from: 0, to: 1)
        #expect(b.state(of: note) != nil)
        #expect(b.clock.last.millis <= cluster.clocks[1].millis + HybridLogicalClock.maximumAdvance)
    }

    /// Random register writes on three replicas with skewed clocks, synced in random partial
    /// exchanges: every replica ends equal, and every op log replayed into fresh replicas in
    /// several shuffled orders (delivery holds back what is not ready) gives that same state.
    @Test(arguments: [1 as UInt64, 2, 3, 4, 5, 6])
    func randomInterleavingsConverge(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let offsets = (0..<3).map { _ in Self.offsets.randomElement(using: &generator)! }
        let cluster = Self.cluster(seed: seed, offsets: offsets)
        let note = try cluster.replicas[0].create(text: "shared")
        try cluster.exchangeAll()
        let keys = ["caseload", "hours_worked", "week"]
        for _ in 0..<120 {
            let index = Int.random(in: 0..<3, using: &generator)
            cluster.clocks[index].advance(by: UInt64.random(in: 0...2_000, using: &generator))
            let replica = cluster.replicas[index]
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: try replica.setDeleted(Bool.random(using: &generator), note)
            case 1:
                let target = Int.random(in: 0..<3, using: &generator)
                if target != index { try cluster.sync(from: index, to: target) }
            default:
                let key = keys.randomElement(using: &generator)!
                try replica.setField(key, to: .int(Int64.random(in: 0...99, using: &generator)), on: note)
            }
        }
        try cluster.exchangeAll()
        let reference = cluster.replicas[0].canonicalState
        for replica in cluster.replicas { #expect(replica.canonicalState == reference) }

        let log = cluster.replicas[0].log(of: .team)
        for _ in 0..<4 {
            let fresh = Replica(id: ReplicaID.random(using: &generator), wallClock: { 1_800_000_000_000 })
            var shuffled = log.shuffled(using: &generator)
            while !shuffled.isEmpty {
                let count = Int.random(in: 1...shuffled.count, using: &generator)
                try fresh.receive(Array(shuffled.prefix(count)))
                shuffled.removeFirst(count)
            }
            #expect(fresh.pendingCount == 0)
            #expect(fresh.state(of: note) == cluster.replicas[0].state(of: note))
        }
    }

    @Test func aWriteWaitsForTheEntriesItNames() throws {
        let cluster = Self.cluster(seed: 9, offsets: [0, 0])
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create(text: "shared")
        try a.setField("caseload", to: .int(1), on: note)
        let written = try #require(a.log(of: .team).last)
        try cluster.sync(from: 0, to: 1)
        try b.setField("caseload", to: .int(2), on: note)
        let overwrite = try #require(b.log(of: .team).last)
        #expect(overwrite.payload.pred == [Dot(replica: a.id, seq: written.id.seq)])
        // Delivered alone to a replica that lacks what it names, it waits.
        let fresh = Replica(id: ReplicaID(high: 77, low: 77), wallClock: { 1_800_000_000_000 })
        try fresh.receive([overwrite])
        #expect(fresh.pendingCount == 1 && fresh.state(of: note) == nil)
        try fresh.receive(a.log(of: .team))
        #expect(fresh.pendingCount == 0 && fresh.state(of: note)?.field("caseload") == .int(2))
    }

    @Test func storedPayloadsOfTheOlderVersionAreReadWithEmptyPreds() throws {
        let entity = EntityID(high: 5, low: 6)
        for payload: OpPayload in [.setField(entity: entity, key: "caseload", value: .int(7)), .setDeleted(entity: entity, deleted: true)] {
            let current = OpCodec.encodePayload(payload)
            #expect(current.first == OpCodec.payloadVersion && current.last == 0)
            let legacy = [OpCodec.legacyPayloadVersion] + current.dropFirst().dropLast()
            #expect(try OpCodec.decodePayload(Array(legacy)) == payload)
            #expect(throws: CodecError.self) { try OpCodec.decodePayload(Array(legacy) + [0]) }
        }
    }
}
