import Testing
@testable import SyncCore

@Suite("Version vectors")
struct VersionVectorTests {
    let a = ReplicaID(high: 1, low: 0)
    let b = ReplicaID(high: 2, low: 0)
    let c = ReplicaID(high: 3, low: 0)

    @Test func comparisonIsAPartialOrder() {
        let x = VersionVector([a: 3, b: 1])
        let y = VersionVector([a: 3, b: 2])
        let z = VersionVector([a: 4, c: 1])
        #expect(x.compare(x) == .equal)
        #expect(x.compare(y) == .before)
        #expect(y.compare(x) == .after)
        #expect(y.compare(z) == .concurrent)
        #expect(VersionVector([a: 0]).compare(VersionVector()) == .equal)
    }

    @Test func mergeIsCommutativeAssociativeAndIdempotent() {
        var generator = SplitMix64(seed: 99)
        let replicas = [a, b, c]
        func randomVector() -> VersionVector {
            VersionVector(Dictionary(uniqueKeysWithValues: replicas.map { ($0, UInt64.random(in: 0...5, using: &generator)) }))
        }
        for _ in 0..<200 {
            let (x, y, z) = (randomVector(), randomVector(), randomVector())
            #expect(x.merging(y) == y.merging(x))
            #expect(x.merging(y).merging(z) == x.merging(y.merging(z)))
            #expect(x.merging(x) == x)
            #expect(x.compare(x.merging(y)) != .after)
        }
    }

    @Test func missingListsExactlyTheRangesThePeerLacks() {
        let mine = VersionVector([a: 5, b: 2, c: 7])
        let theirs = VersionVector([a: 5, b: 4, c: 3])
        let missing = mine.missing(from: theirs)
        #expect(missing.count == 1)
        #expect(missing.first?.replica == c)
        #expect(missing.first?.seqs == 4...7)
        #expect(theirs.missing(from: mine).map(\.seqs) == [3...4])
    }

    @Test func containsDotsAndRanges() {
        let vector = VersionVector([a: 5])
        #expect(vector.contains(Dot(replica: a, seq: 5)))
        #expect(!vector.contains(Dot(replica: a, seq: 6)))
        #expect(!vector.contains(Dot(replica: b, seq: 1)))
        #expect(vector.contains(CharRange(start: Dot(replica: a, seq: 2), count: 4)))
        #expect(!vector.contains(CharRange(start: Dot(replica: a, seq: 2), count: 5)))
    }

    @Test func advanceNeverStoresZeroNorMovesBack() {
        var vector = VersionVector()
        // Whether each call moved the vector.
        var moved = [vector.advance(a, to: 0)]
        #expect(vector == VersionVector())
        #expect(vector.isEmpty)
        moved += [vector.advance(a, to: 4), vector.advance(a, to: 2), vector.advance(a, to: 4), vector.advance(b, to: 0)]
        #expect(moved == [false, true, false, false, false])
        #expect(vector == VersionVector([a: 4]))
        #expect(vector.entries.count == 1)
    }

    @Test func advanceAgreesWithAMaximumPerReplica() {
        var generator = SplitMix64(seed: 7)
        var vector = VersionVector()
        var model: [ReplicaID: UInt64] = [:]
        for _ in 0..<2_000 {
            let replica = [a, b, c].randomElement(using: &generator)!
            let seq = UInt64.random(in: 0...40, using: &generator)
            let moved = vector.advance(replica, to: seq)
            #expect(moved == (seq > (model[replica] ?? 0)))
            if seq > 0 { model[replica] = max(model[replica] ?? 0, seq) }
            #expect(vector == VersionVector(model))
        }
    }

    /// `Delivery` checks an op's own replica against the number it already looked up; that
    /// shortcut must answer exactly as the vector does, for every kind of op that names others.
    @Test func dependencyShortcutAgreesWithTheVector() {
        var generator = SplitMix64(seed: 11)
        let replicas = [a, b, c]
        let entity = EntityID(high: 9, low: 9)
        func dot() -> Dot {
            Dot(replica: replicas.randomElement(using: &generator)!, seq: UInt64.random(in: 0...8, using: &generator))
        }
        func range() -> CharRange {
            CharRange(start: dot(), count: UInt64.random(in: 0...4, using: &generator))
        }
        for _ in 0..<3_000 {
            let vector = VersionVector(Dictionary(uniqueKeysWithValues: replicas.map {
                ($0, UInt64.random(in: 0...8, using: &generator))
            }))
            let id = OpID(space: .team, replica: replicas.randomElement(using: &generator)!, seq: 1)
            let payload: OpPayload
            let expected: Bool
            switch Int.random(in: 0..<3, using: &generator) {
            case 0:
                let (origin, right) = (Bool.random(using: &generator) ? dot() : nil, Bool.random(using: &generator) ? dot() : nil)
                payload = .insertText(entity: entity, origin: origin, rightOrigin: right, text: "x")
                expected = (origin.map(vector.contains) ?? true) && (right.map(vector.contains) ?? true)
            case 1:
                let ranges = (0..<Int.random(in: 1...3, using: &generator)).map { _ in range() }
                payload = .deleteText(entity: entity, ranges: ranges)
                expected = ranges.allSatisfy(vector.contains)
            default:
                let observed = (0..<Int.random(in: 0...3, using: &generator)).map { _ in dot() }
                payload = .removeElement(entity: entity, set: "tags", element: "x", observed: observed)
                expected = observed.allSatisfy(vector.contains)
            }
            let op = Op(id: id, timestamp: Timestamp(millis: 1, counter: 0), payload: payload)
            #expect(Delivery.dependenciesMet(op, vector) == expected, "\(op)")
        }
    }

    /// `readiness` answers as the verdict did before it existed: a duplicate is known, an op
    /// whose first number is next and whose names are held is ready whole, an insertion run
    /// partly held is ready from the first number not held (its text and origin cut to match),
    /// anything else waits; and `verdict` hands back the op itself when it is ready whole.
    @Test func readinessSaysWhichPartOfAnOpIsReady() {
        var generator = SplitMix64(seed: 17)
        let entity = EntityID(high: 7, low: 7)
        var seen: Set<String> = []
        for _ in 0..<2_000 {
            let held = UInt64.random(in: 0...6, using: &generator)
            let vector = VersionVector([a: held, b: UInt64.random(in: 0...3, using: &generator)])
            let seq = UInt64.random(in: 1...8, using: &generator)
            let text = String(repeating: "é", count: Int.random(in: 1...4, using: &generator))
            let origin: Dot? = Bool.random(using: &generator) ? Dot(replica: b, seq: UInt64.random(in: 1...3, using: &generator)) : nil
            let op = Op(id: OpID(space: .team, replica: a, seq: seq), timestamp: Timestamp(millis: 1, counter: 0),
                        payload: .insertText(entity: entity, origin: origin, rightOrigin: nil, text: text))
            let originHeld = origin.map(vector.contains) ?? true
            let readiness = Delivery.readiness(of: op, given: vector)
            switch readiness {
            case .known:
                seen.insert("known")
                #expect(op.lastSeq <= held)
            case .whole:
                seen.insert("whole")
                #expect(seq == held + 1 && originHeld)
                #expect(Delivery.verdict(for: op, given: vector) == .ready(op))
            case .suffix(let suffix):
                seen.insert("suffix")
                #expect(seq <= held && op.lastSeq > held)
                #expect(suffix.id.seq == held + 1 && suffix.lastSeq == op.lastSeq)
                #expect(suffix.payload == .insertText(entity: entity, origin: Dot(replica: a, seq: held), rightOrigin: nil,
                                                      text: String(repeating: "é", count: Int(op.lastSeq - held))))
                #expect(Delivery.verdict(for: op, given: vector) == .ready(suffix))
            case .waiting:
                seen.insert("waiting")
                #expect(seq > held + 1 || (seq == held + 1 && !originHeld))
                #expect(Delivery.verdict(for: op, given: vector) == .waiting)
            }
        }
        #expect(seen == ["known", "whole", "suffix", "waiting"])
    }
}
