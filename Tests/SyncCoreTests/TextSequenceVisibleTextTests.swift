import Testing
@testable import SyncCore

/// `TextSequence.visibleText(serialized:)` reads the same text as decoding the state, and
/// refuses what the decoder refuses for its text, without trapping on any cut or changed byte.
@Suite("TextSequence visible text of a stored state")
struct TextSequenceVisibleTextTests {
    @Test(arguments: Array(UInt64(1)...UInt64(24)))
    func readsWhatDecodingReads(seed: UInt64) throws {
        let state = TextSequenceSerializationTests.randomState(seed: seed, steps: 40 + Int(seed) * 20)
        let bytes = state.serialized()
        #expect(try TextSequence.visibleText(serialized: bytes) == TextSequence(serialized: bytes).text)
    }

    @Test func aStateWithDeletedRunsLeavesThemOut() throws {
        var state = TextSequence()
        let replica = ReplicaID(high: 1, low: 2)
        _ = try state.insert("caseload 🧒 of twenty-two", at: 0, firstID: CharID(replica: replica, seq: 1))
        _ = try state.delete(9..<11)
        let bytes = state.serialized()
        #expect(try TextSequence.visibleText(serialized: bytes) == "caseload of twenty-two")
        #expect(try TextSequence.visibleText(serialized: TextSequence().serialized()) == "")
    }

    /// Every prefix and every single-byte change of a few states: either both readers refuse it,
    /// or this one reads the text the decoder reads (it checks less than the decoder, never more).
    @Test(arguments: [UInt64(3), 7, 11])
    func corruptStatesThrowOrAgreeWithTheDecoder(seed: UInt64) throws {
        let bytes = TextSequenceSerializationTests.randomState(seed: seed, steps: 60).serialized()
        var inputs = (0..<bytes.count).map { Array(bytes.prefix($0)) }
        var generator = SplitMix64(seed: seed)
        for _ in 0..<400 {
            var changed = bytes
            changed[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            inputs.append(changed)
        }
        for input in inputs {
            let decoded = try? TextSequence(serialized: input).text
            let read = try? TextSequence.visibleText(serialized: input)
            if let decoded { #expect(read == decoded) }
        }
        #expect(throws: CodecError.self) { try TextSequence.visibleText(serialized: Array(bytes.dropLast())) }
    }
}
