import Foundation
import Testing
@testable import SyncCore

/// Decoding is total: whatever the bytes, `decode` returns a batch or throws a `CodecError`,
/// and never traps. A trap would take the whole test process down, so every loop here is also
/// a check that none happened. Any batch that is returned must survive a second round trip.
@Suite("Op codec robustness")
struct OpCodecRobustnessTests {
    /// Decodes untrusted bytes; when a batch comes back, it must re-encode to bytes that decode
    /// to the same batch, and re-encode stably. Returns the error, if any.
    @discardableResult
    static func check(_ bytes: [UInt8], limits: OpCodec.Limits = .default, _ context: @autoclosure () -> String) -> CodecError? {
        do {
            let batch = try OpCodec.decode(bytes, limits: limits)
            let again = OpCodec.encode(batch)
            do {
                let second = try OpCodec.decode(again, limits: .default)
                #expect(second == batch, "\(context()): re-decoded batch differs")
                #expect(OpCodec.encode(second) == again, "\(context()): re-encoding is not stable")
            } catch {
                Issue.record("\(context()): a decoded batch re-encodes to bytes that fail: \(error)")
            }
            return nil
        } catch {
            return error
        }
    }

    static func checkPayload(_ bytes: [UInt8], _ context: @autoclosure () -> String) {
        guard let payload = try? OpCodec.decodePayload(bytes) else { return }
        let again = OpCodec.encodePayload(payload)
        #expect((try? OpCodec.decodePayload(again)) == payload, "\(context())")
    }

    /// Batches to mutate: random ones, a typing run, and every payload case.
    static func samples(count: Int, seed: UInt64) -> [[UInt8]] {
        var random = RandomOps(seed: seed)
        var samples = [OpCodec.encode(OpCodecTests.typingRun(count: 12))]
        while samples.count < count {
            let batch = random.batch(maxOps: 12)
            if !batch.isEmpty { samples.append(OpCodec.encode(batch)) }
        }
        return samples
    }

    @Test func everyTruncationIsRefusedAsTruncated() {
        for (index, bytes) in Self.samples(count: 40, seed: 11).enumerated() {
            for length in 0..<bytes.count {
                let error = Self.check(Array(bytes[..<length]), "sample \(index) cut at \(length)")
                #expect(error?.code == .truncated, "sample \(index) cut at \(length): \(String(describing: error))")
            }
        }
    }

    @Test func everySingleBitFlipDecodesOrFailsCleanly() {
        var accepted = 0
        var refused = 0
        for (index, bytes) in Self.samples(count: 30, seed: 12).enumerated() {
            for position in bytes.indices {
                for bit in 0..<8 {
                    var mutated = bytes
                    mutated[position] ^= 1 << UInt8(bit)
                    if Self.check(mutated, "sample \(index) flip \(position).\(bit)") == nil { accepted += 1 } else { refused += 1 }
                }
            }
        }
        // Both outcomes occur: many flips land in ids or text and still decode.
        #expect(accepted > 0 && refused > 0)
    }

    @Test func multiBitFlipsDecodeOrFailCleanly() {
        let samples = Self.samples(count: 30, seed: 13)
        var generator = SplitMix64(seed: 13)
        for (index, bytes) in samples.enumerated() {
            for position in bytes.indices {
                var mutated = bytes
                // Several bits at and after `position`, so damage also spans neighbouring fields.
                for _ in 0..<Int(generator.next() % 6 + 2) {
                    let at = min(bytes.count - 1, position + Int(generator.next() % 4))
                    mutated[at] ^= 1 << UInt8(generator.next() % 8)
                }
                Self.check(mutated, "sample \(index) multi-flip at \(position)")
            }
        }
    }

    @Test func randomByteStringsDecodeOrFailCleanly() {
        var generator = SplitMix64(seed: 0xF1E1_D0_7E)
        var codes: [CodecError.Code: Int] = [:]
        for index in 0..<100_000 {
            let length = Int(generator.next() % 48)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            // Mostly a correct version byte and small table counts, so decoding gets past the header.
            if !bytes.isEmpty && generator.next() % 8 != 0 { bytes[0] = OpCodec.version }
            if bytes.count > 4 && generator.next() % 2 == 0 {
                bytes[1] = UInt8(generator.next() % 2)
                bytes[2] = UInt8(generator.next() % 2)
                bytes[3] = UInt8(generator.next() % 2)
            }
            if let error = Self.check(bytes, "random string \(index)") { codes[error.code, default: 0] += 1 }
            Self.checkPayload(bytes, "random payload string \(index)")
        }
        #expect(codes.count >= 5, "\(codes)")
    }

    /// The fuzz loop: each iteration derives everything from its own seed and prints it on
    /// failure. `FIELDNOTE_FUZZ_SEED=n` replays seed n alone; `FIELDNOTE_FUZZ_ITERATIONS=n`
    /// runs a longer loop.
    @Test func seededMutationFuzz() {
        let environment = ProcessInfo.processInfo.environment
        let seeds: Range<UInt64>
        if let replay = environment["FIELDNOTE_FUZZ_SEED"].flatMap({ UInt64($0) }) {
            seeds = replay..<(replay + 1)
        } else {
            let iterations = environment["FIELDNOTE_FUZZ_ITERATIONS"].flatMap({ UInt64($0) }) ?? 3_000
            seeds = 1_000..<(1_000 + iterations)
        }
        for seed in seeds {
            var random = RandomOps(seed: seed)
            var generator = SplitMix64(seed: seed ^ 0x5EED)
            var bytes = OpCodec.encode(random.batch(maxOps: 16))
            for _ in 0..<Int(generator.next() % 4 + 1) {
                guard !bytes.isEmpty else { break }
                let at = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 5 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: at)
                case 3: bytes[at] = [0x00, 0x7F, 0x80, 0xFF][Int(generator.next() % 4)]
                default: bytes.insert(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], at: at)
                }
            }
            Self.check(bytes, "fuzz seed \(seed)")
            Self.checkPayload(bytes, "fuzz seed \(seed) as payload")
        }
    }

    @Test func payloadMutationsDecodeOrFailCleanly() {
        var random = RandomOps(seed: 21)
        for index in 0..<300 {
            let bytes = OpCodec.encodePayload(random.payload(entity: random.pick(random.entities)))
            for length in 0..<bytes.count {
                #expect((try? OpCodec.decodePayload(Array(bytes[..<length]))) == nil, "payload \(index) cut at \(length)")
            }
            for position in bytes.indices {
                var mutated = bytes
                mutated[position] ^= 1 << UInt8(position % 8)
                Self.checkPayload(mutated, "payload \(index) flip at \(position)")
            }
        }
    }

    @Test func forgedCountsAreRefusedBeforeAllocating() throws {
        var writer = ByteWriter()
        writer.byte(OpCodec.version)
        writer.varint(UInt64(0))
        writer.varint(UInt64(0))
        writer.varint(UInt64(0))
        writer.varint(UInt64(0))  // empty text block
        writer.varint(UInt64(0))
        writer.varint(UInt64(50_000))  // ops claimed, under the limit but far beyond the input
        #expect(throws: CodecError.self) { try OpCodec.decode(writer.bytes) }
        do {
            _ = try OpCodec.decode(writer.bytes)
        } catch {
            #expect(error.code == .truncated)
        }
        var huge = ByteWriter()
        huge.byte(OpCodec.version)
        huge.varint(UInt64.max)
        do {
            _ = try OpCodec.decode(huge.bytes)
            Issue.record("a forged table count was accepted")
        } catch {
            #expect(error.code == .lengthOutOfRange)
        }
    }

    @Test func limitsAreEnforced() throws {
        let run = OpCodec.encode(OpCodecTests.typingRun(count: 100))
        let tight = OpCodec.Limits(maxOps: 99)
        do {
            _ = try OpCodec.decode(run, limits: tight)
            Issue.record("100 ops accepted under a limit of 99")
        } catch {
            #expect(error.code == .lengthOutOfRange)
        }
        #expect(try OpCodec.decode(run, limits: OpCodec.Limits(maxOps: 100)).count == 100)

        let long = OpBatch(ops: [OpCodecTests.op(1, 5, .insertText(entity: OpCodecTests.note, origin: nil, rightOrigin: nil, text: String(repeating: "é", count: 100)))])
        let bytes = OpCodec.encode(long)
        #expect(throws: CodecError.self) { try OpCodec.decode(bytes, limits: OpCodec.Limits(maxTextScalars: 99)) }
        #expect(throws: CodecError.self) { try OpCodec.decode(bytes, limits: OpCodec.Limits(maxStringBytes: 199)) }
        #expect(try OpCodec.decode(bytes, limits: OpCodec.Limits(maxStringBytes: 200, maxTextScalars: 100)) == long)

        let remove = OpBatch(ops: [OpCodecTests.op(1, 5, .removeElement(entity: OpCodecTests.note, set: "tags", element: "x",
            observed: (1...10).map { Dot(replica: OpCodecTests.replica, seq: $0) }))])
        #expect(throws: CodecError.self) { try OpCodec.decode(OpCodec.encode(remove), limits: OpCodec.Limits(maxObservedDots: 9)) }
        let delete = OpBatch(ops: [OpCodecTests.op(1, 5, .deleteText(entity: OpCodecTests.note,
            ranges: (1...10).map { CharRange(start: CharID(replica: OpCodecTests.other, seq: $0 * 2), count: 1) }))])
        #expect(throws: CodecError.self) { try OpCodec.decode(OpCodec.encode(delete), limits: OpCodec.Limits(maxRangesPerDelete: 9)) }
        #expect(try OpCodec.decode(OpCodec.encode(delete)) == delete)
    }
}
