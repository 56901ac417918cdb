import Foundation
import Testing
@testable import SyncCore

/// Five replicas make random edits and exchange random, lossy, duplicated, reordered parts of
/// their logs; a final full exchange must leave them identical. Every run is reproducible from
/// its seed, which a failure prints.
///
/// `FIELDNOTE_FUZZ_SEEDS` (default 200) and `FIELDNOTE_FUZZ_OPS` (default 300) run it longer;
/// `FIELDNOTE_FUZZ_FIRST_SEED` starts elsewhere, to replay one failure.
@Suite("Replica fuzz")
struct ReplicaFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seedCount = environment["FIELDNOTE_FUZZ_SEEDS"].flatMap(Int.init) ?? 200
    static let opsPerSeed = environment["FIELDNOTE_FUZZ_OPS"].flatMap(Int.init) ?? 300
    static let firstSeed = environment["FIELDNOTE_FUZZ_FIRST_SEED"].flatMap(UInt64.init) ?? 1

    /// The seeds are split into shards so that both cores work on them.
    static let shards = 4

    @Test(arguments: 0..<shards)
    func fiveReplicasConvergeAfterLossyReorderedExchanges(shard: Int) throws {
        let seeds = Self.firstSeed..<(Self.firstSeed + UInt64(Self.seedCount))
        for seed in seeds where Int(seed % UInt64(Self.shards)) == shard {
            let failure = try run(seed: seed, ops: Self.opsPerSeed)
            if let failure {
                Issue.record("replica fuzz diverged with seed \(seed) (FIELDNOTE_FUZZ_FIRST_SEED=\(seed) FIELDNOTE_FUZZ_SEEDS=1 replays it): \(failure)")
                return
            }
        }
    }

    /// Returns a description of the divergence, or nil when every replica converged.
    func run(seed: UInt64, ops: Int) throws -> String? {
        var generator = SplitMix64(seed: seed)
        let cluster = Cluster(count: 5, generator: &generator)
        var fuzzer = Fuzzer(cluster: cluster)
        for _ in 0..<ops { try fuzzer.step(using: &generator) }
        try cluster.exchangeAll()
        let reference = cluster.replicas[0].canonicalState
        for (index, replica) in cluster.replicas.enumerated().dropFirst() where replica.canonicalState != reference {
            return "replica \(index) differs from replica 0: \(difference(reference, replica.canonicalState))"
        }
        if reference.pending != 0 { return "\(reference.pending) ops still waiting after a full exchange" }
        return nil
    }

    func difference(_ a: CanonicalState, _ b: CanonicalState) -> String {
        if a.versions != b.versions { return "versions \(a.versions) vs \(b.versions)" }
        for (id, state) in a.entities where b.entities[id] != state {
            return "entity \(id.short): text \(state.text.text.debugDescription) vs \((b.entities[id]?.text.text ?? "<absent>").debugDescription), fields \(state.fields) vs \(b.entities[id]?.fields ?? [:])"
        }
        if a.logs != b.logs { return "logs differ" }
        return "pending \(a.pending) vs \(b.pending)"
    }
}

/// Chooses and performs random edits and exchanges.
struct Fuzzer {
    let cluster: Cluster
    let spaces: [SpaceID] = [.team, .team, .team, .evidence]
    let tags = ["caseload", "supervision", "duty", "urgent"]
    let keys = ["caseload", "supervision", "week", "hours_worked"]
    let snippets = ["a", "b", "c", " ", "é", "😀", "visit", "Supervision cancelled. ", "x"]

    mutating func step(using generator: inout SplitMix64) throws {
        let index = Int.random(in: 0..<cluster.replicas.count, using: &generator)
        let replica = cluster.replicas[index]
        cluster.clocks[index].advance(by: UInt64.random(in: 0...3_000, using: &generator))
        let live = replica.entities.values.filter { !$0.isPurged && $0.space != nil }.map(\.id).sorted()
        let roll = Int.random(in: 0..<100, using: &generator)
        guard let note = live.randomElement(using: &generator), roll >= 8 else {
            let text = Bool.random(using: &generator) ? snippets.randomElement(using: &generator)! : ""
            try replica.create(in: spaces.randomElement(using: &generator)!, text: text)
            return
        }
        let length = replica.entities[note]!.text.count
        switch roll {
        case 8..<20: try exchange(using: &generator)
        case 20..<28:
            try replica.setField(keys.randomElement(using: &generator)!, to: randomValue(using: &generator), on: note)
        case 28..<34: try replica.addTag(tags.randomElement(using: &generator)!, to: note)
        case 34..<38: try replica.removeTag(tags.randomElement(using: &generator)!, from: note)
        case 38..<62:
            // Typing: a burst of single characters at one place, or a pasted run.
            var position = Int.random(in: 0...length, using: &generator)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let snippet = snippets.randomElement(using: &generator)!
                try replica.insertText(snippet, at: position, in: note)
                position += snippet.unicodeScalars.count
            }
        case 62..<76 where length > 0:
            var position = Int.random(in: 0..<length, using: &generator)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where position >= 0 {
                let end = min(replica.entities[note]!.text.count, position + Int.random(in: 1...3, using: &generator))
                guard position < end else { break }
                try replica.deleteText(position..<end, in: note)
                position -= 1
            }
        case 76..<84:
            var scalars = Array(replica.entities[note]!.text.text.unicodeScalars)
            if !scalars.isEmpty { scalars.remove(at: Int.random(in: 0..<scalars.count, using: &generator)) }
            scalars.insert(contentsOf: snippets.randomElement(using: &generator)!.unicodeScalars, at: Int.random(in: 0...scalars.count, using: &generator))
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            try replica.replaceText(with: String(view), in: note)
        case 84..<90: try replica.setDeleted(Bool.random(using: &generator), note)
        case 90..<92: try replica.purge(note)
        default: try exchange(using: &generator)
        }
    }

    /// A partial exchange over a bad link: some ops dropped, some doubled, the rest shuffled.
    func exchange(using generator: inout SplitMix64) throws {
        let source = Int.random(in: 0..<cluster.replicas.count, using: &generator)
        var target = Int.random(in: 0..<(cluster.replicas.count - 1), using: &generator)
        if target >= source { target += 1 }
        for space in cluster.replicas[source].spaces {
            let ops = cluster.replicas[source].ops(in: space, missingFrom: VersionVector())
            let missing = Set(cluster.replicas[source].ops(in: space, missingFrom: cluster.replicas[target].versionVector(of: space)).map(\.id))
            var batch: [Op] = []
            for op in ops {
                let chance = Int.random(in: 0..<100, using: &generator)
                if missing.contains(op.id) {
                    if chance < 25 { continue }
                    batch.append(op)
                    if chance > 90 { batch.append(op) }
                } else if chance < 5 {
                    batch.append(op)
                }
            }
            if Bool.random(using: &generator) { batch.shuffle(using: &generator) }
            try cluster.replicas[target].receive(batch)
        }
    }

    func randomValue(using generator: inout SplitMix64) -> FieldValue {
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: .int(Int64.random(in: 0...60, using: &generator))
        case 1: .double(Double(Int.random(in: 0...400, using: &generator)) / 8)
        case 2: .string(["held", "cancelled", "not_scheduled"].randomElement(using: &generator)!)
        case 3: .bool(Bool.random(using: &generator))
        default: .null
        }
    }
}
