import Testing
@testable import SyncCore

/// The algebraic laws each CRDT's merge must obey, checked on seeded random states, and the
/// delivery laws of `EntityState.apply`: duplicated and reordered (causally valid) delivery of
/// the same ops gives the same state.
@Suite("CRDT laws")
struct CRDTLawsTests {
    let replicas = (1...4).map { ReplicaID(high: UInt64($0), low: 0) }

    func randomSet(_ generator: inout SplitMix64) -> ObservedRemoveSet {
        var set = ObservedRemoveSet()
        for _ in 0..<Int.random(in: 0...6, using: &generator) {
            set.add(["a", "b", "c"].randomElement(using: &generator)!,
                    dot: Dot(replica: replicas.randomElement(using: &generator)!, seq: UInt64.random(in: 1...5, using: &generator)))
        }
        return set
    }

    @Test func observedRemoveSetMergeIsCommutativeAssociativeAndIdempotent() {
        var generator = SplitMix64(seed: 12)
        for _ in 0..<2_000 {
            let (x, y, z) = (randomSet(&generator), randomSet(&generator), randomSet(&generator))
            #expect(x.merging(y) == y.merging(x))
            #expect(x.merging(y).merging(z) == x.merging(y.merging(z)))
            #expect(x.merging(x) == x)
        }
    }

    @Test func anAdditionTheRemoverDidNotSeeSurvives() {
        let (a, b) = (replicas[0], replicas[1])
        var set = ObservedRemoveSet()
        set.add("supervision", dot: Dot(replica: a, seq: 1))
        set.add("supervision", dot: Dot(replica: b, seq: 1))
        set.remove("supervision", observed: [Dot(replica: a, seq: 1)])
        #expect(set.elements == ["supervision"])
        set.remove("supervision", observed: [Dot(replica: b, seq: 1)])
        #expect(set.isEmpty)
    }

    /// Ops from three writers on one note; every causal order of delivery, with duplicates, gives one state.
    @Test func entityStateIgnoresDuplicatesAndDeliveryOrder() throws {
        var generator = SplitMix64(seed: 13)
        for round in 0..<60 {
            let cluster = Cluster(count: 3, generator: &generator)
            let note = try cluster.replicas[0].create(text: "Visit")
            try cluster.exchangeAll()
            var fuzzer = Fuzzer(cluster: cluster)
            for _ in 0..<25 { try fuzzer.stepWithoutExchange(on: note, using: &generator) }
            let ops = cluster.replicas.flatMap { $0.log(of: .team) }
            var reference: EntityState? = nil
            for _ in 0..<6 {
                var shuffled = ops + ops.prefix(Int.random(in: 0...ops.count, using: &generator))
                shuffled.shuffle(using: &generator)
                let receiver = Replica(id: ReplicaID(high: 99, low: UInt64(round)), wallClock: { 1_700_000_000_000 })
                try receiver.receive(shuffled)
                #expect(receiver.pendingCount == 0)
                let state = try #require(receiver.state(of: note))
                if let reference { #expect(state == reference, "round \(round)") } else { reference = state }
            }
        }
    }
}

extension Fuzzer {
    /// A random edit on `note` by a random replica, with no exchange.
    mutating func stepWithoutExchange(on note: EntityID, using generator: inout SplitMix64) throws {
        let replica = cluster.replicas.randomElement(using: &generator)!
        guard let state = replica.state(of: note), !state.isPurged else { return }
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: try replica.setField("caseload", to: .int(Int64.random(in: 0...50, using: &generator)), on: note)
        case 1: try replica.addTag(tags.randomElement(using: &generator)!, to: note)
        case 2: try replica.removeTag(tags.randomElement(using: &generator)!, from: note)
        case 3 where state.text.count > 0:
            let start = Int.random(in: 0..<state.text.count, using: &generator)
            try replica.deleteText(start..<(start + 1), in: note)
        case 4: try replica.setDeleted(Bool.random(using: &generator), note)
        default:
            try replica.insertText(snippets.randomElement(using: &generator)!, at: Int.random(in: 0...state.text.count, using: &generator), in: note)
        }
    }
}
