@testable import SyncCore

/// The refused inputs about the text block (Protocol.md 1.3), the limits of 1.7 on counts and
/// text, and the checks after decoding: an impossible timestamp (1.10, `clock_skew`) and an op
/// of another space than the BATCH names (2.4 step 4).
enum FixtureRefusalsContent {
    typealias B = FixtureBatches
    typealias R = RawBatch
    typealias Tag = OpCodec.Tag
    typealias Refusal = FixtureRefusals.Refusal

    static var all: [Refusal] { textBlock + limits + afterDecoding }

    static func refusal(_ name: String, _ section: String, _ code: CodecError.Code?, _ reason: String, _ bytes: [UInt8]) -> Refusal {
        FixtureRefusals.refusal(name, section, code, reason, bytes)
    }

    /// A batch with a text block of `size` bytes from `stream`, and one insertion at the start
    /// taking `length` bytes of it (none when nil).
    static func block(size: Int, stream: [UInt8], length: UInt64? = 1) -> [UInt8] {
        R.make(textSize: size, stream: stream, ops: length == nil ? 0 : 1) { writer in
            guard let length else { return }
            R.head(&writer, tag: Tag.insertText | Tag.blockTextFlag)
            writer.raw([0x00, 0x00, 0x00])
            writer.varint(length)
        }
    }

    static var textBlock: [Refusal] {
        [
            refusal("block-literals-overrun", "1.3", .invalidValue, "a text block of 2 bytes whose stream holds 3 literals",
                    block(size: 2, stream: [3, 0x61, 0x62, 0x63], length: 2)),
            refusal("block-match-overrun", "1.3", .invalidValue, "a match of 5 bytes where 4 remain of the declared 5",
                    block(size: 5, stream: [1, 0x61, 1, 0], length: 5)),
            refusal("block-match-before-the-start", "1.3", .invalidValue, "a match from distance 2 after 1 byte",
                    block(size: 5, stream: [1, 0x61, 0, 1], length: 5)),
            refusal("block-match-under-4-left", "1.3", .invalidValue, "a match token where 3 bytes remain to produce",
                    block(size: 4, stream: [1, 0x61, 0, 0], length: 4)),
            refusal("block-ends-early", "1.3", .truncated, "a stream ending before the declared 4 bytes",
                    block(size: 4, stream: [1, 0x61], length: 4)),
            refusal("block-bytes-after-the-last-token", "1.3", .trailingBytes, "a byte after the token that completes the block",
                    block(size: 1, stream: [1, 0x61, 0x00])),
            refusal("block-stream-without-size", "1.3", .trailingBytes, "T = 0 with a stream of one byte", block(size: 0, stream: [0x00], length: nil)),
            refusal("block-bytes-unused", "1.3", .invalidValue, "a block of 2 bytes of which the one insertion takes 1",
                    block(size: 2, stream: [2, 0x61, 0x62])),
            refusal("block-length-overruns", "1.3", .invalidValue, "an insertion taking 3 bytes of a 2-byte block",
                    block(size: 2, stream: [2, 0x61, 0x62], length: 3)),
            refusal("block-empty-insertion", "1.3", .invalidValue, "an insertion taking 0 bytes of the block",
                    block(size: 1, stream: [1, 0x61], length: 0)),
            refusal("block-invalid-utf8", "1.3", .invalidUTF8, "an insertion whose block bytes are ED A0 80, a surrogate",
                    block(size: 3, stream: [3, 0xED, 0xA0, 0x80], length: 3)),
        ]
    }

    static var limits: [Refusal] {
        // 262 145 × "a": 4 030 literals, then one match of the rest at distance 1. The stream is
        // long enough (4 036 bytes) for the expansion bound to allow it.
        var stream = ByteWriter()
        stream.varint(4_030)
        stream.raw(Array(repeating: UInt8(ascii: "a"), count: 4_030))
        stream.varint(OpCodec.maximumNoteScalars + 1 - 4_030 - TextBlock.minimumMatch)
        stream.varint(0)
        return [
            refusal("block-above-the-expansion-bound", "1.7", .lengthOutOfRange, "T = 4097 with C = 0: T must be at most 64 × C + 4096",
                    block(size: 4_097, stream: [], length: nil)),
            refusal("block-above-16-mib", "1.7", .lengthOutOfRange, "T = 16 777 217, past the 16 MiB limit, with C = 0",
                    block(size: (1 << 24) + 1, stream: [], length: nil)),
            refusal("insertion-of-262145-scalars", "1.7", .lengthOutOfRange, "an insertion of 262 145 scalars (the limit is 262 144), from the text block",
                    block(size: OpCodec.maximumNoteScalars + 1, stream: stream.bytes, length: UInt64(OpCodec.maximumNoteScalars + 1))),
            ambiguous("ops-65537", "65 537 ops declared (the limit is 65 536), with no bytes for them", R.make(ops: 65_537)),
            ambiguous("replicas-65537", "65 537 replicas declared (the limit is 65 536), with no bytes for them",
                      [OpCodec.version, 0x00] + varint(65_537)),
            ambiguous("string-of-1048577-bytes", "an element of 1 048 577 bytes declared (the limit is 1 MiB), with 1 byte left",
                      R.make(ops: 1) { writer in
                          R.head(&writer, tag: Tag.addElement)
                          writer.varint(0)
                          writer.string("tags")
                          writer.varint((1 << 20) + 1)
                          writer.byte(0x61)
                      }),
            ambiguous("observed-dots-65537", "a removal declaring 65 537 observed dots (the limit is 65 536), with none present",
                      R.make(ops: 1) { writer in
                          R.head(&writer, tag: Tag.removeElement)
                          writer.varint(0)
                          writer.string("tags")
                          writer.string("a")
                          writer.varint(65_537)
                      }),
        ]
    }

    /// A count past its limit with too few bytes left to hold it: refused either way, and the
    /// spec does not say which check comes first.
    static func ambiguous(_ name: String, _ reason: String, _ bytes: [UInt8]) -> Refusal {
        var refusal = refusal(name, "1.7", .lengthOutOfRange, reason, bytes)
        refusal.alsoConforming = [.truncated]
        return refusal
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var writer = ByteWriter()
        writer.varint(value)
        return writer.bytes
    }

    static var afterDecoding: [Refusal] {
        let latest = HybridLogicalClock.latestPlausibleMillis
        func skewed(_ name: String, _ reason: String, _ ops: [Op]) -> Refusal {
            Refusal(name: name, section: "1.10", reason: reason, code: nil, wire: "clock_skew", bytes: OpCodec.encode(OpBatch(ops: ops)))
        }
        func create(_ millis: UInt64, _ seq: UInt64 = 1) -> Op {
            Op(id: OpID(space: .team, replica: B.a, seq: seq), timestamp: Timestamp(millis: millis, counter: 0), payload: .create(entity: B.note, kind: .note))
        }
        return [
            skewed("millis-after-9999", "an op at millis 253402300800000, 1 ms after 9999-12-31T23:59:59.999Z", [create(latest + 1)]),
            skewed("millis-2-to-64-minus-1", "an op at millis 2^64 - 1", [create(UInt64.max)]),
            skewed("last-op-after-9999", "three ops, the last at millis 2^63 in a run form: the whole batch is refused, the first two too", [
                create(latest),
                Op(id: OpID(space: .team, replica: B.a, seq: 2), timestamp: Timestamp(millis: latest, counter: 1),
                   payload: .insertText(entity: B.note, origin: nil, rightOrigin: nil, text: "a")),
                Op(id: OpID(space: .team, replica: B.a, seq: 3), timestamp: Timestamp(millis: 1 << 63, counter: 0),
                   payload: .insertText(entity: B.note, origin: Dot(replica: B.a, seq: 2), rightOrigin: nil, text: "b")),
            ]),
            Refusal(name: "op-of-another-space", section: "2.4", reason: "a BATCH for space team holding an op of space evidence",
                    code: nil, batchSpace: "team",
                    bytes: OpCodec.encode(OpBatch(ops: [create(B.start), Op(id: OpID(space: .evidence, replica: B.a, seq: 1),
                        timestamp: Timestamp(millis: B.start, counter: 1), payload: .purge(entity: B.other))]))),
        ]
    }
}
