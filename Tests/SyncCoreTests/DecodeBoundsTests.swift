import Testing
@testable import SyncCore

/// A batch cannot expand past its limits (Protocol.md 1.7): the text block's declared size is
/// checked against what its compressed stream may expand to before anything is allocated.
@Suite("Decode bounds")
struct DecodeBoundsTests {
    static let replica = ReplicaID(high: 0x7D3A_9C0E_51B2_4F6A, low: 0x8E1C_2D3B_4A59_6877)
    static let note = EntityID(high: 0x019B_77C7_D800_3C5A, low: 0x91E2_44B0_0D6F_A713)

    /// The amplification attack: a few hundred bytes declaring a 16 MiB text block of one
    /// repeated letter (one literal, one long match), taken by a create and 64 insertions of
    /// 262,144 characters each into one note: a valid batch apart from its expansion.
    static func amplificationBatch(insertions: Int = 64) -> [UInt8] {
        let perInsertion = OpCodec.maximumNoteScalars
        let size = insertions * perInsertion
        var stream = ByteWriter()
        stream.varint(1)
        stream.raw([UInt8(ascii: "a")])
        stream.varint(size - 1 - TextBlock.minimumMatch)
        stream.varint(0)

        var writer = ByteWriter()
        writer.byte(OpCodec.version)
        writer.varint(1)
        writer.string("team")
        writer.varint(1)
        writer.bytes16(high: replica.high, low: replica.low)
        writer.varint(1)
        writer.bytes16(high: note.high, low: note.low)
        writer.varint(size)
        writer.varint(stream.bytes.count)
        writer.raw(stream.bytes[...])
        writer.varint(1 + insertions)
        // create: space 0, replica 0, seq 1, millis 1 767 225 600 000, counter 0, entity 0, kind note.
        writer.byte(OpCodec.Tag.create)
        writer.varint(0)
        writer.varint(0)
        writer.signedVarint(0)
        writer.signedVarint(1_767_225_600_000)
        writer.varint(0)
        writer.varint(0)
        writer.byte(EntityKind.note.rawValue)
        // The first insertion, its text from the block, then run insertions continuing it.
        writer.byte(OpCodec.Tag.insertText | OpCodec.Tag.blockTextFlag | OpCodec.Tag.sameFlag)
        writer.signedVarint(2)
        writer.varint(0)
        writer.varint(0)
        writer.varint(0)
        writer.varint(perInsertion)
        for _ in 1..<insertions {
            writer.byte(OpCodec.Tag.blockInsertRun)
            writer.varint(2)
            writer.varint(perInsertion)
        }
        return writer.bytes
    }

    @Test("the amplification batch is refused at its text block's size, before decompressing")
    func amplificationRefused() throws {
        let bytes = Self.amplificationBatch()
        #expect(bytes.count < 1_000)
        do {
            _ = try OpCodec.decode(bytes)
            Issue.record("a \(bytes.count)-byte batch declaring 16 MiB of text was accepted")
        } catch {
            #expect(error.code == .lengthOutOfRange)
            // The size varint, right after the tables: nothing after it was read.
            #expect(error.offset == 1 + 5 + 1 + 16 + 1 + 16 + 1)
            #expect(error.message.contains("16777216"))
        }
    }

    @Test("without the expansion limit the same bytes are a valid batch of 16.7 M characters")
    func amplificationIsOtherwiseValid() throws {
        // What a decoder before the limit produced: the test above fails there.
        let loose = OpCodec.Limits(maxTextBlockExpansion: Int.max)
        let batch = try OpCodec.decode(Self.amplificationBatch(insertions: 4), limits: loose)
        let characters = batch.ops.reduce(0) { total, op in
            guard case .insertText(_, _, _, let text) = op.payload else { return total }
            return total + text.unicodeScalars.count
        }
        #expect(characters == 4 * OpCodec.maximumNoteScalars)
    }

    @Test("the ceiling: 64 bytes a compressed byte plus 4 KiB, never past the block limit")
    func textBlockCeiling() {
        let limits = OpCodec.Limits.default
        #expect(limits.textBlockCeiling(streamBytes: 0) == 4_096)
        #expect(limits.textBlockCeiling(streamBytes: 1_000) == 68_096)
        #expect(limits.textBlockCeiling(streamBytes: 10 << 20) == limits.maxBatchTextBytes)
        #expect(limits.textBlockCeiling(streamBytes: Int.max) == limits.maxBatchTextBytes)
    }

    @Test("very repetitive text goes inline, so a batch the encoder writes is one the decoder takes")
    func repetitiveTextRoundTrips() throws {
        let text = String(repeating: "a", count: OpCodec.maximumNoteScalars)
        let ops = [
            Op(id: OpID(space: .team, replica: Self.replica, seq: 1), timestamp: Timestamp(millis: 1, counter: 0),
               payload: .create(entity: Self.note, kind: .note)),
            Op(id: OpID(space: .team, replica: Self.replica, seq: 2), timestamp: Timestamp(millis: 2, counter: 0),
               payload: .insertText(entity: Self.note, origin: nil, rightOrigin: nil, text: text)),
        ]
        let bytes = OpCodec.encode(OpBatch(ops: ops))
        #expect(try OpCodec.decode(bytes) == OpBatch(ops: ops))
    }

    @Test("one insertion longer than a note may be is refused, inline or from the block")
    func insertionPastTheNoteLimit() throws {
        let text = String(repeating: "ab", count: OpCodec.maximumNoteScalars / 2) + "c"
        let op = Op(id: OpID(space: .team, replica: Self.replica, seq: 1), timestamp: Timestamp(millis: 1, counter: 0),
                    payload: .insertText(entity: Self.note, origin: nil, rightOrigin: nil, text: text))
        #expect(throws: CodecError.self) { try OpCodec.decode(OpCodec.encode(OpBatch(ops: [op]))) }
        do {
            _ = try OpCodec.decode(OpCodec.encode(OpBatch(ops: [op])))
        } catch {
            #expect(error.code == .lengthOutOfRange)
        }
        // A store's own rows are read with the stored limits: such an op stays readable there.
        let stored = OpCodec.encodePayload(op.payload)
        #expect(try OpCodec.decodeStored(stored, id: op.id, timestamp: op.timestamp) == [op])
        #expect(!OpCodec.Limits.default.admits(op.payload))
    }
}
