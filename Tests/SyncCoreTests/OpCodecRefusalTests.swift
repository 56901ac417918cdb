import Testing
@testable import SyncCore

/// What the decoder refuses (Protocol.md 1.8), each with its error code. The encoder writes
/// whatever it is given, so most invalid inputs are made by encoding an invalid op; the rest
/// by editing a valid encoding.
@Suite("Op codec refusals")
struct OpCodecRefusalTests {
    typealias T = OpCodecTests

    static func code(of bytes: [UInt8], limits: OpCodec.Limits = .default) -> CodecError.Code? {
        do {
            _ = try OpCodec.decode(bytes, limits: limits)
            return nil
        } catch {
            return error.code
        }
    }

    static func code(encoding ops: Op...) -> CodecError.Code? {
        code(of: OpCodec.encode(OpBatch(ops: ops)))
    }

    static let valid = OpBatch(ops: [
        T.op(1, 1_000, .create(entity: T.note, kind: .note)),
        T.op(2, 1_100, .setField(entity: T.note, key: "caseload", value: .double(31))),
        T.op(3, 1_200, .insertText(entity: T.note, origin: nil, rightOrigin: nil, text: "Hé")),
    ])

    /// The valid encoding with the first occurrence of `find` (after the version byte) replaced.
    static func edited(_ find: [UInt8], _ replace: [UInt8]) -> [UInt8] {
        let bytes = OpCodec.encode(valid)
        for start in 1...(bytes.count - find.count) where Array(bytes[start..<(start + find.count)]) == find {
            return Array(bytes[..<start]) + replace + Array(bytes[(start + find.count)...])
        }
        Issue.record("pattern \(find) not found")
        return bytes
    }

    /// A batch written by hand: tables of space "team", replica `T.replica`, entity `T.note`, then `ops`.
    static func handmade(opCount: Int, _ ops: (inout ByteWriter) -> Void) -> [UInt8] {
        var writer = ByteWriter()
        writer.byte(OpCodec.version)
        writer.varint(1)
        writer.string("team")
        writer.varint(1)
        writer.raw(T.replica.bytes)
        writer.varint(1)
        writer.raw(T.note.bytes)
        writer.varint(0)  // empty text block: no bytes,
        writer.varint(0)  // no stream
        writer.varint(opCount)
        ops(&writer)
        return writer.bytes
    }

    /// The head of a full-form op by replica 0 in space 0: tag, indexes, seq delta (from 1), millis delta, counter.
    static func head(_ writer: inout ByteWriter, tag: UInt8, seq: UInt64) {
        writer.byte(tag)
        writer.varint(0)
        writer.varint(0)
        writer.signedVarint(Int64(bitPattern: seq &- 1))
        writer.signedVarint(5)
        writer.varint(0)
    }

    @Test func handmadeBatchesDecode() throws {
        let bytes = Self.handmade(opCount: 2) { writer in
            Self.head(&writer, tag: OpCodec.Tag.insertText, seq: 7)
            writer.varint(0)  // entity
            writer.varint(0)  // no origin
            writer.varint(0)  // no right origin
            writer.string("a")
            writer.byte(OpCodec.Tag.asciiRun | UInt8(ascii: "b"))
            writer.varint(0)
        }
        let batch = try OpCodec.decode(bytes)
        #expect(batch.ops.map(\.id.seq) == [7, 8])
        #expect(bytes == OpCodec.encode(batch))
    }

    @Test func theUneditedSampleDecodes() throws {
        #expect(try OpCodec.decode(OpCodec.encode(Self.valid)) == Self.valid)
    }

    @Test func unknownVersion() {
        var bytes = OpCodec.encode(Self.valid)
        bytes[0] = OpCodec.version + 1
        #expect(Self.code(of: bytes) == .unsupportedVersion)
        for previous in UInt8(1)..<OpCodec.version {  // earlier batch formats
            bytes[0] = previous
            #expect(Self.code(of: bytes) == .unsupportedVersion)
        }
        #expect(Self.code(of: []) == .truncated)
        #expect(throws: CodecError.self) { try OpCodec.decodePayload([OpCodec.payloadVersion + 1, 8] + T.note.bytes) }
    }

    @Test func unknownTags() {
        var bytes = OpCodec.encode(Self.valid)
        let firstOp = 1 + 1 + 5 + 1 + 16 + 1 + 16 + 2 + 1
        #expect(bytes[firstOp] == OpCodec.Tag.create)
        // 0x13–0x1F, and 0x10 (text in the block) on any kind but an insertion.
        for tag: UInt8 in [0x00, 0x0A, 0x0F, 0x13, 0x16, 0x1F, 0x31, 0x6A, 0x7F] {
            bytes[firstOp] = tag
            #expect(Self.code(of: bytes) == .unknownTag, "tag \(tag)")
        }
        #expect(throws: CodecError.self) { try OpCodec.decodePayload([1, 0x10] + T.note.bytes) }
        // A field value of unknown type.
        #expect(Self.code(of: Self.edited([0x04, 0x40, 0x3F], [0x09, 0x40, 0x3F])) == .unknownTag)
    }

    @Test func runFormWithoutAnOpToContinue() {
        var bytes = OpCodec.encode(Self.valid)
        let firstOp = 1 + 1 + 5 + 1 + 16 + 1 + 16 + 2 + 1
        bytes[firstOp] = 0x80 | UInt8(ascii: "x")
        #expect(Self.code(of: bytes) == .invalidValue)
    }

    @Test func outOfRangeTableIndex() {
        let firstOp = 1 + 1 + 5 + 1 + 16 + 1 + 16 + 2 + 1
        for field in 1...2 {  // space index, replica index
            var bytes = OpCodec.encode(Self.valid)
            bytes[firstOp + field] = 1
            #expect(Self.code(of: bytes) == .indexOutOfRange, "field \(field)")
        }
        // A character id naming replica table entry 5 of 1, and entity 1 of 1.
        let foreign = Self.handmade(opCount: 1) { writer in
            Self.head(&writer, tag: OpCodec.Tag.insertText, seq: 1)
            writer.varint(0)
            writer.varint(7)
            writer.varint(3)
            writer.varint(0)
            writer.string("a")
        }
        #expect(Self.code(of: foreign) == .indexOutOfRange)
        let entity = Self.handmade(opCount: 1) { writer in
            Self.head(&writer, tag: OpCodec.Tag.purge, seq: 1)
            writer.varint(1)
        }
        #expect(Self.code(of: entity) == .indexOutOfRange)
    }

    @Test func sequenceNumberZero() {
        #expect(Self.code(encoding: T.op(0, 5, .purge(entity: T.note))) == .invalidValue)
        #expect(Self.code(encoding: T.op(1, 5, .deleteText(entity: T.note, ranges: [CharRange(start: CharID(replica: T.other, seq: 0), count: 1)]))) == .invalidValue)
        #expect(Self.code(encoding: T.op(1, 5, .removeElement(entity: T.note, set: "tags", element: "a", observed: [Dot(replica: T.replica, seq: 0)]))) == .invalidValue)
        #expect(Self.code(encoding: T.op(4, 5, .insertText(entity: T.note, origin: CharID(replica: T.replica, seq: 0), rightOrigin: nil, text: "a"))) == .invalidValue)
    }

    @Test func emptyInsertionsAndEmptySpans() {
        #expect(Self.code(encoding: T.op(1, 5, .insertText(entity: T.note, origin: nil, rightOrigin: nil, text: ""))) == .invalidValue)
        #expect(Self.code(encoding: T.op(1, 5, .erased(entity: T.note, span: 0))) == .invalidValue)
        #expect(Self.code(encoding: T.op(1, 5, .deleteText(entity: T.note, ranges: [CharRange(start: CharID(replica: T.other, seq: 3), count: 0)]))) == .invalidValue)
        #expect(throws: CodecError.self) { try OpCodec.decodePayload(OpCodec.encodePayload(.insertText(entity: T.note, origin: nil, rightOrigin: nil, text: ""))) }
    }

    @Test func spansPastTheLargestSequenceNumber() {
        #expect(Self.code(encoding: T.op(UInt64.max, 5, .insertText(entity: T.note, origin: nil, rightOrigin: nil, text: "ab"))) == .overflow)
        #expect(Self.code(encoding: T.op(UInt64.max - 1, 5, .insertText(entity: T.note, origin: nil, rightOrigin: nil, text: "ab"))) == nil)
        #expect(Self.code(encoding: T.op(2, 5, .erased(entity: T.note, span: UInt64.max))) == .overflow)
        #expect(Self.code(encoding: T.op(1, 5, .deleteText(entity: T.note, ranges: [CharRange(start: CharID(replica: T.other, seq: 2), count: UInt64.max)]))) == .overflow)
        // A run continuing an insertion that ends at the largest sequence number.
        let run = Self.handmade(opCount: 2) { writer in
            Self.head(&writer, tag: OpCodec.Tag.insertText, seq: UInt64.max)
            writer.varint(0)
            writer.varint(0)
            writer.varint(0)
            writer.string("a")
            writer.byte(OpCodec.Tag.asciiRun | UInt8(ascii: "b"))
            writer.varint(0)
        }
        #expect(Self.code(of: run) == .overflow)
        // A varint past 64 bits, and a counter past 32.
        #expect(Self.code(of: [OpCodec.version, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]) == .overflow)
        let counter = Self.handmade(opCount: 1) { writer in
            writer.byte(OpCodec.Tag.purge)
            writer.varint(0)
            writer.varint(0)
            writer.varint(0)
            writer.varint(0)
            writer.varint(UInt64(UInt32.max) + 1)
            writer.varint(0)
        }
        #expect(Self.code(of: counter) == .overflow)
    }

    @Test func invalidNames() {
        // "team" → "Team", and → "te m".
        #expect(Self.code(of: Self.edited([0x04, 0x74, 0x65, 0x61, 0x6D], [0x04, 0x54, 0x65, 0x61, 0x6D])) == .invalidValue)
        #expect(Self.code(of: Self.edited([0x04, 0x74, 0x65, 0x61, 0x6D], [0x04, 0x74, 0x65, 0x20, 0x6D])) == .invalidValue)
        // "team" twice in the space table.
        #expect(Self.code(of: Self.edited([0x01, 0x04, 0x74, 0x65, 0x61, 0x6D], [0x02, 0x04, 0x74, 0x65, 0x61, 0x6D, 0x04, 0x74, 0x65, 0x61, 0x6D])) == .invalidValue)
        #expect(Self.code(encoding: T.op(1, 5, .setField(entity: T.note, key: "Caseload", value: .int(1)))) == .invalidValue)
        #expect(Self.code(encoding: T.op(1, 5, .addElement(entity: T.note, set: "", element: "a"))) == .invalidValue)
        #expect(Self.code(encoding: T.op(1, 5, .setField(entity: T.note, key: String(repeating: "k", count: 65), value: .null))) == .invalidValue)
    }

    @Test func nonFiniteDoubles() {
        for value in [Double.nan, .infinity, -.infinity, Double(bitPattern: 0x7FF0_0000_0000_0001)] {
            #expect(Self.code(encoding: T.op(1, 5, .setField(entity: T.note, key: "hours_worked", value: .double(value)))) == .invalidValue)
            #expect(throws: CodecError.self) { try OpCodec.decodePayload(OpCodec.encodePayload(.setField(entity: T.note, key: "x", value: .double(value)))) }
        }
    }

    @Test func textThatIsNotUnicodeScalars() {
        // "Hé" is 48 C3 A9; make it a UTF-8-encoded surrogate (ED A0 80), an overlong form, and a stray continuation byte.
        for bad: [UInt8] in [[0x48, 0xED, 0xA0, 0x80], [0xC0, 0xC8, 0x80], [0x48, 0xA9, 0xA9]] {
            let replaced = Self.edited([0x03, 0x48, 0xC3, 0xA9], [UInt8(bad.count)] + bad)
            #expect(Self.code(of: replaced) == .invalidUTF8, "\(bad)")
        }
    }

    @Test func trailingBytes() {
        #expect(Self.code(of: OpCodec.encode(Self.valid) + [0]) == .trailingBytes)
        #expect(throws: CodecError.self) { try OpCodec.decodePayload(OpCodec.encodePayload(.purge(entity: T.note)) + [0]) }
    }

    @Test func entityKindsOutsideTheEnum() {
        // create's kind byte follows its entity index 0; the setField after it has the "same" flag.
        let next = OpCodec.Tag.setField | OpCodec.Tag.sameFlag
        for kind: UInt8 in [0, 5, 0xFF] {
            #expect(Self.code(of: Self.edited([0x00, EntityKind.note.rawValue, next], [0x00, kind, next])) == .invalidValue)
        }
        var payload = OpCodec.encodePayload(.create(entity: T.note, kind: .finding))
        payload[payload.count - 1] = 9
        #expect(throws: CodecError.self) { try OpCodec.decodePayload(payload) }
    }

    @Test func nonCanonicalVarints() {
        // The op count 3 written as 0x83 0x00.
        let bytes = OpCodec.encode(Self.valid)
        let countAt = 1 + 1 + 5 + 1 + 16 + 1 + 16 + 2
        #expect(bytes[countAt] == 3)
        let padded = Array(bytes[..<countAt]) + [0x83, 0x00] + Array(bytes[(countAt + 1)...])
        #expect(Self.code(of: padded) == .nonCanonical)
    }
}
