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
}
