import Testing
@testable import SyncCore

/// The parts of batch format 2 beyond version 1: the compressed text block and the "same" and
/// "same millisecond" tag flags (Protocol.md 1.3, 1.4, 1.5).
@Suite("Op codec text block and flags")
struct OpCodecTextBlockTests {
    typealias T = OpCodecTests
    typealias R = OpCodecRefusalTests

    /// A history with much repeated text: paragraphs pasted and edited, as one replica.
    static func editingHistory(paragraphs: Int = 40) throws -> [Op] {
        let replica = Replica(id: T.replica, wallClock: { 1_767_225_600_000 })
        let note = try replica.create(.note, in: .team)
        var generator = SplitMix64(seed: 5)
        let sentences = ["The caseload is far too high this week. ", "Supervision was cancelled again. ",
                         "Référral screened by a new starter — “no further action”. ", "Hours lost to recording: 🙂 "]
        for _ in 0..<paragraphs {
            let count = replica.text(of: note)!.unicodeScalars.count
            let position = count == 0 ? 0 : Int(generator.next() % UInt64(count + 1))
            let sentence = sentences[Int(generator.next() % UInt64(sentences.count))]
            // Typed a character at a time, then a few backspaces.
            for (offset, character) in sentence.enumerated() {
                try replica.insertText(String(character), at: position + offset, in: note)
            }
            let length = sentence.count
            try replica.deleteText((position + length - 3)..<(position + length), in: note)
        }
        return replica.log(of: .team)
    }

    @Test func longHistoriesUseTheBlockAndRoundTrip() throws {
        let ops = try Self.editingHistory()
        let batch = OpBatch(ops: ops)
        let bytes = OpCodec.encode(batch)
        #expect(try OpCodec.decode(bytes) == batch)
        #expect(OpCodec.encode(try OpCodec.decode(bytes)) == bytes)
        let text = ops.reduce(0) { total, op in
            if case .insertText(_, _, _, let text) = op.payload { return total + text.utf8.count }
            return total
        }
        #expect(bytes.count < text, "the block should compress repeated sentences below their raw size")
        // Every prefix of the batch decodes and round-trips too (the block may or may not pay).
        for cut in stride(from: 1, to: ops.count, by: 7) {
            let prefix = OpBatch(ops: Array(ops[..<cut]))
            #expect(try OpCodec.decode(OpCodec.encode(prefix)) == prefix, "prefix \(cut)")
        }
    }

    @Test func truncationsAndBitFlipsOfABlockBatchNeverTrap() throws {
        let bytes = OpCodec.encode(OpBatch(ops: try Self.editingHistory(paragraphs: 8)))
        for cut in 0..<bytes.count {
            #expect(R.code(of: Array(bytes[..<cut])) != nil, "cut at \(cut)")
        }
        var generator = SplitMix64(seed: 3)
        for _ in 0..<4_000 {
            var flipped = bytes
            let index = Int(generator.next() % UInt64(flipped.count))
            flipped[index] ^= UInt8(1) << UInt8(generator.next() % 8)
            OpCodecRobustnessTests.check(flipped, "flip at \(index)")
        }
    }

    /// The tables of the refusal tests, then a text block of `text` stored as one literal token
    /// (declared size `size`), then `ops`.
    static func withBlock(_ text: [UInt8], size: Int? = nil, opCount: Int, _ ops: (inout ByteWriter) -> Void) -> [UInt8] {
        var writer = ByteWriter()
        writer.byte(OpCodec.version)
        writer.varint(1)
        writer.string("team")
        writer.varint(1)
        writer.raw(T.replica.bytes)
        writer.varint(1)
        writer.raw(T.note.bytes)
        var stream = ByteWriter()
        if !text.isEmpty {
            stream.varint(text.count)
            stream.raw(text)
        }
        writer.varint(size ?? text.count)
        writer.lengthPrefixed(stream.bytes)
        writer.varint(opCount)
        ops(&writer)
        return writer.bytes
    }

    /// An insertion at seq 1 whose text is `length` bytes of the block.
    static func blockInsert(_ writer: inout ByteWriter, length: Int, flags: UInt8 = 0) {
        R.head(&writer, tag: OpCodec.Tag.insertText | OpCodec.Tag.blockTextFlag | flags, seq: 1)
        writer.varint(0)  // entity
        writer.varint(0)  // no origin
        writer.varint(0)  // no right origin
        writer.varint(length)
    }

    @Test func handmadeBlockBatchesDecode() throws {
        let bytes = Self.withBlock(Array("héllo".utf8), opCount: 2) { writer in
            Self.blockInsert(&writer, length: 3)  // "hé"
            writer.byte(OpCodec.Tag.blockInsertRun)
            writer.varint(0)
            writer.varint(3)  // "llo"
        }
        let batch = try OpCodec.decode(bytes)
        #expect(batch.ops.count == 2)
        guard case .insertText(_, _, _, let first) = batch.ops[0].payload,
              case .insertText(_, let origin, _, let second) = batch.ops[1].payload else {
            Issue.record("not insertions")
            return
        }
        #expect(first == "hé" && second == "llo")
        #expect(origin == CharID(replica: T.replica, seq: 2))
    }

    @Test func blockMisuseIsRefused() {
        let text = Array("hello".utf8)
        // The op takes more than the block holds; fewer than it holds; none of it.
        #expect(R.code(of: Self.withBlock(text, opCount: 1) { Self.blockInsert(&$0, length: 6) }) == .invalidValue)
        #expect(R.code(of: Self.withBlock(text, opCount: 1) { Self.blockInsert(&$0, length: 4) }) == .invalidValue)
        #expect(R.code(of: Self.withBlock(text, opCount: 0) { _ in }) == .invalidValue)
        // An empty piece; a piece that cuts a character in two; flag 0x10 with no block at all.
        #expect(R.code(of: Self.withBlock(text, opCount: 1) { Self.blockInsert(&$0, length: 0) }) == .invalidValue)
        let split = Self.withBlock(Array("é".utf8), opCount: 2) { writer in
            Self.blockInsert(&writer, length: 1)
            writer.byte(OpCodec.Tag.blockInsertRun)
            writer.varint(0)
            writer.varint(1)
        }
        #expect(R.code(of: split) == .invalidUTF8)
        #expect(R.code(of: Self.withBlock([], opCount: 1) { Self.blockInsert(&$0, length: 1) }) == .invalidValue)
        // Declared size differing from what the stream produces.
        #expect(R.code(of: Self.withBlock(text, size: 6, opCount: 1) { Self.blockInsert(&$0, length: 5) }) == .truncated)
        #expect(R.code(of: Self.withBlock(text, size: 4, opCount: 1) { Self.blockInsert(&$0, length: 4) }) == .invalidValue)
        // A stream with T = 0.
        #expect(R.code(of: Self.withBlock(text, size: 0, opCount: 0) { _ in }) == .trailingBytes)
        // The per-string limit applies to a piece of the block.
        #expect(R.code(of: Self.withBlock(text, opCount: 1) { Self.blockInsert(&$0, length: 5) }, limits: OpCodec.Limits(maxStringBytes: 4)) == .lengthOutOfRange)
    }

    @Test func textBlockBombsAreRefusedBeforeDecompressing() {
        // "a" and one match of 2^30 bytes: 7 bytes of stream declaring a gigabyte.
        var writer = ByteWriter()
        writer.byte(OpCodec.version)
        writer.varint(0)
        writer.varint(0)
        writer.varint(0)
        writer.varint(1 << 30)
        var stream = ByteWriter()
        stream.varint(1)
        stream.byte(97)
        stream.varint(UInt64(1 << 30) - 1 - UInt64(TextBlock.minimumMatch))
        stream.varint(0)
        writer.lengthPrefixed(stream.bytes)
        writer.varint(0)
        #expect(R.code(of: writer.bytes) == .lengthOutOfRange)
        // Under a tight limit, the same with a smaller size is refused by the limit too.
        #expect(R.code(of: writer.bytes, limits: OpCodec.Limits(maxBatchTextBytes: 1 << 10)) == .lengthOutOfRange)
    }

    @Test func flagsOnTheFirstOpAreRefused() {
        for flag in [OpCodec.Tag.sameFlag, OpCodec.Tag.sameMillisFlag] {
            let bytes = R.handmade(opCount: 1) { writer in
                writer.byte(OpCodec.Tag.purge | flag)
                writer.varint(0)
                writer.varint(0)
                writer.varint(0)
                writer.varint(0)
                writer.varint(0)
                writer.varint(0)
            }
            #expect(R.code(of: bytes) == .invalidValue, "flag \(flag)")
        }
    }

    @Test func counterDeltasPast32BitsOverflow() {
        let bytes = R.handmade(opCount: 2) { writer in
            writer.byte(OpCodec.Tag.purge)
            writer.varint(0)
            writer.varint(0)
            writer.varint(0)
            writer.varint(0)
            writer.varint(UInt64(UInt32.max) - 1)
            writer.varint(0)
            writer.byte(OpCodec.Tag.purge | OpCodec.Tag.sameFlag | OpCodec.Tag.sameMillisFlag)
            writer.varint(2)
        }
        #expect(R.code(of: bytes) == .overflow)
    }

    @Test func sameMillisecondOpsKeepTheirCounters() throws {
        var ops: [Op] = []
        for index in 0..<20 {
            let counter = UInt32(index % 7 == 3 ? 0 : index * 3)
            let entity = index % 3 == 0 ? T.note : EntityID(high: 9, low: UInt64(index))
            let payload: OpPayload = index % 2 == 0
                ? .setField(entity: T.note, key: "caseload", value: .int(Int64(index)))
                : .purge(entity: entity)
            let id = OpID(space: .team, replica: T.replica, seq: UInt64(index) + 1)
            ops.append(Op(id: id, timestamp: Timestamp(millis: 1_767_225_600_000, counter: counter), payload: payload))
        }
        let batch = OpBatch(ops: ops)
        #expect(try OpCodec.decode(OpCodec.encode(batch)) == batch)
    }
}
