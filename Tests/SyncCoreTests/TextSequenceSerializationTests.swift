import Testing
@testable import SyncCore

@Suite("TextSequence stored form")
struct TextSequenceSerializationTests {
    /// A state reached by random local and remote edits of a few replicas.
    static func randomState(seed: UInt64, steps: Int = 300) -> TextSequence {
        var generator = SplitMix64(seed: seed)
        let replicas = (0..<3).map { _ in ReplicaID.random(using: &generator) }
        var nextSeq = [UInt64](repeating: 1, count: 3)
        var texts = [TextSequence](repeating: TextSequence(), count: 3)
        var log: [TextOp] = []
        for _ in 0..<steps {
            let who = Int.random(in: 0..<3, using: &generator)
            let roll = Int.random(in: 0..<10, using: &generator)
            if roll < 5 {
                let text = TextFuzz.text(using: &generator, maxLength: 4)
                let position = Int.random(in: 0...texts[who].count, using: &generator)
                let firstID = CharID(replica: replicas[who], seq: nextSeq[who])
                if let neighbours = try? texts[who].insert(text, at: position, firstID: firstID) {
                    log.append(.insert(text: text, firstID: firstID, origin: neighbours.origin, rightOrigin: neighbours.rightOrigin))
                    nextSeq[who] += UInt64(text.unicodeScalars.count)
                }
            } else if roll < 7, texts[who].count > 0 {
                let start = Int.random(in: 0..<texts[who].count, using: &generator)
                let end = min(texts[who].count, start + Int.random(in: 1...5, using: &generator))
                if let ranges = try? texts[who].delete(start..<end) { log.append(.delete(ranges)) }
            } else if let op = log.randomElement(using: &generator), texts[who].isReady(for: op) {
                texts[who].apply(op)
            }
        }
        return texts[Int(seed % 3)]
    }

    @Test(arguments: Array(UInt64(1)...UInt64(12)))
    func roundTripKeepsEveryCharacter(seed: UInt64) throws {
        let state = TextSequenceSerializationTests.randomState(seed: seed)
        let bytes = state.serialized()
        let restored = try TextSequence(serialized: bytes)
        #expect(restored.text == state.text)
        #expect(restored.canonicalKey == state.canonicalKey)
        #expect(restored.count == state.count)
        #expect(restored.brokenInvariant() == nil)
        #expect(restored.serialized() == bytes)
        // The restored state keeps working: the same edit on both gives the same result.
        var a = state, b = restored
        let replica = ReplicaID(high: 7, low: 7)
        let position = state.count / 2
        let first = try a.insert("xyz", at: position, firstID: CharID(replica: replica, seq: 1))
        let second = try b.insert("xyz", at: position, firstID: CharID(replica: replica, seq: 1))
        #expect(first.origin == second.origin && first.rightOrigin == second.rightOrigin)
        _ = try a.delete(0..<min(3, a.count))
        _ = try b.delete(0..<min(3, b.count))
        #expect(a.canonicalKey == b.canonicalKey)
    }

    @Test func emptyStateRoundTrips() throws {
        let restored = try TextSequence(serialized: TextSequence().serialized())
        #expect(restored.isEmpty && restored.canonicalItems.isEmpty)
    }

    @Test func typedRunIsCompact() throws {
        var text = TextSequence()
        let replica = ReplicaID(high: 1, low: 2)
        for offset in 0..<1_000 {
            _ = try text.insert("a", at: offset, firstID: CharID(replica: replica, seq: UInt64(offset) + 1))
        }
        // Version, one replica, one run, then the text itself.
        #expect(text.serialized().count < 1_000 + 40)
    }

    @Test func everyTruncationIsRefused() {
        let bytes = TextSequenceSerializationTests.randomState(seed: 99).serialized()
        for length in 0..<bytes.count {
            #expect(throws: CodecError.self) { try TextSequence(serialized: Array(bytes[..<length])) }
        }
    }

    @Test func corruptedInputNeverTraps() throws {
        var generator = SplitMix64(seed: 2024)
        let bytes = TextSequenceSerializationTests.randomState(seed: 5).serialized()
        var decoded = 0
        for _ in 0..<3_000 {
            var corrupted = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<corrupted.count, using: &generator)
                corrupted[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
            }
            if let state = try? TextSequence(serialized: corrupted) {
                decoded += 1
                // Whatever decodes is a usable state.
                #expect(state.brokenInvariant() == nil)
                var copy = state
                _ = try copy.insert("q", at: copy.count, firstID: CharID(replica: ReplicaID(high: 9, low: 9), seq: 1))
                _ = copy.text
                _ = copy.serialized()
            }
        }
        for _ in 0..<3_000 {
            let length = Int.random(in: 0..<200, using: &generator)
            var random = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !random.isEmpty { random[0] = TextSequence.serializationVersion }
            if let state = try? TextSequence(serialized: random) { #expect(state.brokenInvariant() == nil) }
        }
        _ = decoded
    }

    @Test func forgedCountsAreRefusedBeforeAllocating() {
        // Version, then a replica count far beyond the input.
        #expect(throws: CodecError.self) { try TextSequence(serialized: [2, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }
        // No replicas, then a run count far beyond the input.
        #expect(throws: CodecError.self) { try TextSequence(serialized: [2, 0, 0xFF, 0xFF, 0xFF, 0x7F]) }
        #expect(throws: CodecError.self) { try TextSequence(serialized: [1, 0]) }
        #expect(throws: CodecError.self) { try TextSequence(serialized: []) }
    }
}
