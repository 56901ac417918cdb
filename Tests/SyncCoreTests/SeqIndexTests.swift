import Testing
@testable import SyncCore

/// The id index of the text sequence against a sorted array of (first seq, run): the same
/// answers through its one-key form (no block), the move into blocks, and block splits.
@Suite("Text id index")
struct SeqIndexTests {
    /// What `lookup` must answer, from the model: the run with the greatest key at most `seq`
    /// and the run after it in key order, -1 where there is none.
    static func expected(_ model: [(seq: UInt64, run: Int32)], _ seq: UInt64) -> (Int32, Int32) {
        let at = model.lastIndex { $0.seq <= seq }
        let after = at.map { $0 + 1 } ?? 0
        return (at.map { model[$0].run } ?? -1, after < model.count ? model[after].run : -1)
    }

    static func check(_ index: SeqIndex, _ model: [(seq: UInt64, run: Int32)], probes: [UInt64]) {
        #expect(index.isEmpty == model.isEmpty)
        for seq in probes {
            let (atOrBefore, after) = index.lookup(seq)
            let (expectedAt, expectedAfter) = expected(model, seq)
            #expect(atOrBefore == expectedAt && after == expectedAfter, "lookup(\(seq)) with \(model.count) keys")
        }
    }

    @Test func oneKeyAnswersWithoutABlockAndMovesIntoOne() {
        var index = SeqIndex()
        Self.check(index, [], probes: [0, 5])
        index.insert(10, run: 0)
        Self.check(index, [(10, 0)], probes: [0, 9, 10, 11, .max])
        // No key at most 3: nothing to change, as when the key sits in a block.
        index.rekey(3, to: 4)
        Self.check(index, [(10, 0)], probes: [3, 4, 10])
        index.rekey(10, to: 12)
        Self.check(index, [(12, 0)], probes: [10, 11, 12, 13])
        index.insert(5, run: 1)
        Self.check(index, [(5, 1), (12, 0)], probes: [0, 4, 5, 6, 11, 12, 13])
        index.rekey(12, to: 11)
        Self.check(index, [(5, 1), (11, 0)], probes: [10, 11, 12])
    }

    /// Random insertions of fresh keys and rekeys (a run's start moving, never past another key),
    /// enough for block splits at the end and in the middle.
    @Test(arguments: 0..<12) func randomEditsAnswerAsASortedArray(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        var index = SeqIndex()
        var model: [(seq: UInt64, run: Int32)] = []
        let keys = 1 + Int(generator.next() % 600)
        for run in 0..<Int32(keys) {
            // Mostly appended (one typist), sometimes anywhere (a run split).
            var seq = seed % 2 == 0 && generator.next() % 4 != 0
                ? (model.last?.seq ?? 0) + 1 + generator.next() % 5 : generator.next() % 100_000
            while model.contains(where: { $0.seq == seq }) { seq += 1 }
            index.insert(seq, run: run)
            model.insert((seq, run), at: model.firstIndex { $0.seq > seq } ?? model.count)
            if generator.next() % 5 == 0, let position = model.indices.randomElement(using: &generator) {
                let low = position > 0 ? model[position - 1].seq + 1 : 0
                let high = position + 1 < model.count ? model[position + 1].seq - 1 : model[position].seq + 10
                let new = UInt64.random(in: low...max(low, high), using: &generator)
                index.rekey(model[position].seq, to: new)
                model[position].seq = new
            }
        }
        let probes = model.flatMap { [$0.seq &- 1, $0.seq, $0.seq + 1] } + [0, .max]
        Self.check(index, model, probes: probes)
    }
}
