import Testing
@testable import SyncCore

@Suite("TextSequence")
struct TextSequenceTests {
    let alice = ReplicaID(high: 0xA11CE, low: 1)
    let bob = ReplicaID(high: 0xB0B, low: 2)
    let carol = ReplicaID(high: 0xCA201, low: 3)

    @Test func typingExtendsOneRun() throws {
        var text = TextSequence()
        for (offset, character) in "hello, world".unicodeScalars.enumerated() {
            _ = try text.insert(String(character), at: offset, firstID: CharID(replica: alice, seq: UInt64(offset) + 1))
        }
        #expect(text.text == "hello, world")
        #expect(text.tree.runs.count == 1)
        #expect(text.brokenInvariant() == nil)
    }

    @Test func insertingInsideARunSplitsItAndNamesBothNeighbours() throws {
        var text = TextSequence()
        _ = try text.insert("held", at: 0, firstID: CharID(replica: alice, seq: 1))
        let neighbours = try text.insert("lo worl", at: 3, firstID: CharID(replica: alice, seq: 5))
        #expect(neighbours.origin == CharID(replica: alice, seq: 3))
        #expect(neighbours.rightOrigin == CharID(replica: alice, seq: 4))
        #expect(text.text == "hello world")
        #expect(text.tree.runs.count == 3)
        #expect(text.brokenInvariant() == nil)
    }

    @Test func multiByteScalarsCountAsOneEach() throws {
        var text = TextSequence()
        _ = try text.insert("é😀文", at: 0, firstID: CharID(replica: alice, seq: 1))
        #expect(text.count == 3)
        let ranges = try text.delete(1..<2)
        #expect(ranges == [CharRange(start: CharID(replica: alice, seq: 2), count: 1)])
        #expect(text.text == "é文")
    }

    @Test func backspacingKeepsTombstonesInOneRun() throws {
        var text = TextSequence()
        _ = try text.insert("abcdef", at: 0, firstID: CharID(replica: alice, seq: 1))
        for position in stride(from: 5, through: 2, by: -1) { _ = try text.delete(position..<(position + 1)) }
        #expect(text.text == "ab")
        #expect(text.tree.runs.count == 2)
        #expect(text.brokenInvariant() == nil)
    }

    @Test func deleteReturnsCoalescedRangesInDocumentOrder() throws {
        var text = TextSequence()
        _ = try text.insert("abc", at: 0, firstID: CharID(replica: alice, seq: 1))
        _ = try text.insert("XY", at: 1, firstID: CharID(replica: bob, seq: 1))
        let ranges = try text.delete(0..<5)
        #expect(ranges == [
            CharRange(start: CharID(replica: alice, seq: 1), count: 1),
            CharRange(start: CharID(replica: bob, seq: 1), count: 2),
            CharRange(start: CharID(replica: alice, seq: 2), count: 2),
        ])
        #expect(text.isEmpty)
        let result1 = text.delete(ranges: ranges)
        #expect(result1 == 0)
    }

    @Test func outOfRangePositionsThrow() {
        var text = TextSequence()
        #expect(throws: SyncCoreError.self) { try text.insert("a", at: 1, firstID: CharID(replica: alice, seq: 1)) }
        #expect(throws: SyncCoreError.self) { try text.delete(0..<1) }
        #expect(throws: SyncCoreError.self) { try text.insert("ab", at: 0, firstID: CharID(replica: alice, seq: UInt64.max - 1)) }
    }

    @Test func integrationNeedsBothNeighbours() {
        var text = TextSequence()
        let result2 = text.integrate("x", firstID: CharID(replica: bob, seq: 1), origin: CharID(replica: alice, seq: 1), rightOrigin: nil)
        #expect(!result2)
        let result3 = text.integrate("x", firstID: CharID(replica: bob, seq: 1), origin: nil, rightOrigin: CharID(replica: alice, seq: 1))
        #expect(!result3)
        #expect(text.isEmpty)
        let result4 = text.integrate("", firstID: CharID(replica: bob, seq: 1), origin: CharID(replica: alice, seq: 9), rightOrigin: nil)
        #expect(result4)
        let result5 = text.integrate("x", firstID: CharID(replica: bob, seq: UInt64.max), origin: nil, rightOrigin: nil)
        #expect(!result5)
    }

    @Test func copiesDoNotSeeLaterEdits() throws {
        var original = TextSequence()
        _ = try original.insert("field notes", at: 0, firstID: CharID(replica: alice, seq: 1))
        let copy = original
        _ = try original.insert("!", at: 11, firstID: CharID(replica: alice, seq: 12))
        _ = try original.delete(0..<6)
        original.integrate("?", firstID: CharID(replica: bob, seq: 1), origin: nil, rightOrigin: nil)
        #expect(copy.text == "field notes")
        #expect(copy.canonicalItems.count == 11)
        #expect(original.text == "?notes!")
        original.removeAll()
        #expect(original.isEmpty && original.canonicalItems.isEmpty)
        #expect(copy.text == "field notes")
    }

    @Test func removeAllForgetsEverything() throws {
        var text = TextSequence()
        _ = try text.insert("secret", at: 0, firstID: CharID(replica: alice, seq: 1))
        text.removeAll()
        #expect(text.isEmpty && text.text.isEmpty && !text.contains(CharID(replica: alice, seq: 1)))
        _ = try text.insert("new", at: 0, firstID: CharID(replica: alice, seq: 7))
        #expect(text.text == "new")
    }

    // MARK: CRDT laws

    /// Three replicas edit a shared base concurrently; every causal delivery order of their
    /// ops gives the same characters in the same order, and the oracle agrees.
    @Test func concurrentEditsConvergeInEveryCausalOrder() throws {
        var base = TextPair()
        _ = base.insert("the base text", at: 0, firstID: CharID(replica: carol, seq: 1))
        var ops: [TextOp] = []
        var a = base, b = base, c = base
        ops.append(a.insert("AAA", at: 4, firstID: CharID(replica: alice, seq: 1))!)
        ops.append(a.delete(2..<6)!)
        ops.append(b.insert("BB", at: 4, firstID: CharID(replica: bob, seq: 1))!)
        ops.append(b.insert("b", at: 6, firstID: CharID(replica: bob, seq: 3))!)
        ops.append(c.delete(3..<9)!)
        ops.append(c.insert("C", at: 3, firstID: CharID(replica: carol, seq: 14))!)

        var results: Set<[String]> = []
        var orders = 0
        func explore(_ state: TextPair, _ remaining: [Int]) {
            if remaining.isEmpty {
                orders += 1
                #expect(state.mismatch() == nil)
                results.insert(state.fast.canonicalKey)
                return
            }
            for (position, index) in remaining.enumerated() where state.fast.isReady(for: ops[index]) {
                // Ops of one replica stay in the order it made them.
                let author = index / 2
                if remaining.contains(where: { $0 / 2 == author && $0 < index }) { continue }
                var next = state
                _ = next.apply(ops[index])
                var rest = remaining
                rest.remove(at: position)
                explore(next, rest)
            }
        }
        explore(base, Array(ops.indices))
        #expect(orders == 90)
        #expect(results.count == 1)
    }

    @Test func reapplyingChangesNothing() throws {
        var a = TextSequence()
        let first = try a.insert("hello", at: 0, firstID: CharID(replica: alice, seq: 1))
        let ranges = try a.delete(1..<3)
        var b = TextSequence()
        let result6 = b.integrate("hello", firstID: CharID(replica: alice, seq: 1), origin: first.origin, rightOrigin: first.rightOrigin)
        #expect(result6)
        let result7 = b.delete(ranges: ranges)
        #expect(result7 == 2)
        let before = b.canonicalKey
        let result8 = b.integrate("hello", firstID: CharID(replica: alice, seq: 1), origin: first.origin, rightOrigin: first.rightOrigin)
        #expect(result8)
        let result9 = b.integrate("ell", firstID: CharID(replica: alice, seq: 2), origin: CharID(replica: alice, seq: 1), rightOrigin: nil)
        #expect(result9)
        let result10 = b.delete(ranges: ranges)
        #expect(result10 == 0)
        #expect(b.canonicalKey == before)
        #expect(b.canonicalKey == a.canonicalKey)
    }

    /// Two people type a sentence each, key by key, at the same spot while apart; after
    /// syncing either way round each sentence is whole.
    @Test func concurrentTypingAtOneSpotDoesNotInterleave() throws {
        var base = TextSequence()
        _ = try base.insert("[]", at: 0, firstID: CharID(replica: carol, seq: 1))
        func typed(_ sentence: String, by replica: ReplicaID) throws -> (TextSequence, [TextOp]) {
            var text = base
            var ops: [TextOp] = []
            for (offset, scalar) in sentence.unicodeScalars.enumerated() {
                let firstID = CharID(replica: replica, seq: UInt64(offset) + 1)
                let neighbours = try text.insert(String(scalar), at: 1 + offset, firstID: firstID)
                ops.append(.insert(text: String(scalar), firstID: firstID, origin: neighbours.origin, rightOrigin: neighbours.rightOrigin))
            }
            return (text, ops)
        }
        let (aliceText, aliceOps) = try typed("caseload too high", by: alice)
        let (bobText, bobOps) = try typed("supervision cancelled", by: bob)
        var atAlice = aliceText, atBob = bobText
        for op in bobOps { atAlice.apply(op) }
        for op in aliceOps { atBob.apply(op) }
        #expect(atAlice.canonicalKey == atBob.canonicalKey)
        let merged = atAlice.text
        #expect(merged == "[caseload too highsupervision cancelled]" || merged == "[supervision cancelledcaseload too high]")
        // Interleaved delivery, key by key alternately, gives the same.
        var alternating = base
        for index in 0..<max(aliceOps.count, bobOps.count) {
            if index < bobOps.count { alternating.apply(bobOps[index]) }
            if index < aliceOps.count { alternating.apply(aliceOps[index]) }
        }
        #expect(alternating.text == merged)
        #expect(alternating.brokenInvariant() == nil)
    }
}
