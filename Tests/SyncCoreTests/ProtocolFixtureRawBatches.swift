@testable import SyncCore

/// Batches written byte by byte, for inputs the encoder never produces: what a decoder must
/// accept although the reference encoder writes the same ops otherwise (Protocol.md 1.3–1.5),
/// and the refused inputs of `FixtureRefusals`.
enum RawBatch {
    typealias B = FixtureBatches

    /// Version 3, the tables, the text block (`size` bytes decompressed from `stream`), the op
    /// count and the ops `body` writes. By default one space `team`, replica A and the note.
    static func make(
        version: UInt8 = OpCodec.version, spaces: [String] = ["team"], replicas: [ReplicaID] = [B.a], entities: [EntityID] = [B.note],
        textSize: Int = 0, stream: [UInt8] = [], ops: Int, _ body: (inout ByteWriter) -> Void = { _ in }
    ) -> [UInt8] {
        var writer = ByteWriter()
        writer.byte(version)
        writer.varint(spaces.count)
        for space in spaces { writer.string(space) }
        writer.varint(replicas.count)
        for replica in replicas { writer.raw(replica.bytes) }
        writer.varint(entities.count)
        for entity in entities { writer.raw(entity.bytes) }
        writer.varint(textSize)
        writer.varint(stream.count)
        writer.raw(stream)
        writer.varint(ops)
        body(&writer)
        return writer.bytes
    }

    /// A full-form op head without flags: space 0, replica 0, `seq` as a delta from 1 (the first
    /// op of its pair), `millis` from 0 (the first op of the batch), and the counter.
    static func head(_ writer: inout ByteWriter, tag: UInt8, seq: UInt64 = 1, millis: UInt64 = B.start, counter: UInt64 = 0) {
        writer.byte(tag)
        writer.varint(0)
        writer.varint(0)
        writer.signedVarint(Int64(bitPattern: seq &- 1))
        writer.signedVarint(Int64(bitPattern: millis))
        writer.varint(counter)
    }

    /// A whole first op: create the note (entity 0) as a note, at seq 1.
    static func create(_ writer: inout ByteWriter, millis: UInt64 = B.start, counter: UInt64 = 0) {
        head(&writer, tag: OpCodec.Tag.create, millis: millis, counter: counter)
        writer.varint(0)
        writer.byte(EntityKind.note.rawValue)
    }

    /// A first op inserting `text` at the start of the note (entity 0), at `seq`.
    static func insert(_ writer: inout ByteWriter, _ text: String, seq: UInt64 = 1, millis: UInt64 = B.start) {
        head(&writer, tag: OpCodec.Tag.insertText, seq: seq, millis: millis)
        writer.varint(0)
        writer.varint(0)
        writer.varint(0)
        writer.string(text)
    }

    /// An addElement of `element` to `tags` as the only op, its string written from raw bytes.
    static func addElement(rawElement: [UInt8]) -> [UInt8] {
        make(ops: 1) { writer in
            head(&writer, tag: OpCodec.Tag.addElement)
            writer.varint(0)
            writer.string("tags")
            writer.lengthPrefixed(rawElement)
        }
    }
}

/// Inputs a decoder must accept although the reference encoder writes their ops otherwise.
enum FixtureAcceptedInputs {
    typealias B = FixtureBatches

    static var all: [FixtureBatches.Fixture] { [fullFormInsteadOfRun, unusedAndReorderedTables, textBlockTheEncoderWouldNotUse] }

    static var fullFormInsteadOfRun: FixtureBatches.Fixture {
        let bytes = RawBatch.make(ops: 2) { writer in
            RawBatch.insert(&writer, "H")
            writer.byte(OpCodec.Tag.insertText | OpCodec.Tag.sameFlag)
            writer.signedVarint(180)
            writer.varint(0)
            writer.varint(1)  // origin: the op's own replica,
            writer.signedVarint(1)  // one seq back
            writer.varint(0)  // no right origin
            writer.string("i")
        }
        return .init(
            name: "accepted-full-form-instead-of-run", sections: ["1.4", "1.5"],
            description: "A continuation written in full form (tag 0x25) where the encoder writes an ASCII run: a decoder accepts it (1.5). canonical_hex is the encoder's form.",
            ops: [B.op(B.a, 1, 0, .insertText(entity: B.note, origin: nil, rightOrigin: nil, text: "H")),
                  B.op(B.a, 2, 180, .insertText(entity: B.note, origin: B.dot(B.a, 1), rightOrigin: nil, text: "i"))],
            accepted: bytes)
    }

    static var unusedAndReorderedTables: FixtureBatches.Fixture {
        let bytes = RawBatch.make(spaces: ["evidence", "team"], replicas: [B.b, B.a], entities: [B.other, B.note], ops: 1) { writer in
            writer.byte(OpCodec.Tag.create)
            writer.varint(1)  // space 1: team
            writer.varint(1)  // replica 1: A
            writer.signedVarint(0)
            writer.signedVarint(Int64(B.start))
            writer.varint(0)
            writer.varint(1)  // entity 1: the note
            writer.byte(EntityKind.note.rawValue)
        }
        return .init(
            name: "accepted-unused-table-entries", sections: ["1.3"],
            description: "Tables holding entries no op uses, in an order that is not the order of first use: a decoder accepts them (1.3).",
            ops: [B.op(B.a, 1, 0, .create(entity: B.note, kind: .note))], accepted: bytes)
    }

    static var textBlockTheEncoderWouldNotUse: FixtureBatches.Fixture {
        // "ab" as literals, then a match of 6 bytes at distance 2, overlapping what it produces.
        let stream: [UInt8] = [2, 0x61, 0x62, 2, 1]
        let bytes = RawBatch.make(textSize: 8, stream: stream, ops: 1) { writer in
            RawBatch.head(&writer, tag: OpCodec.Tag.insertText | OpCodec.Tag.blockTextFlag)
            writer.varint(0)
            writer.varint(0)
            writer.varint(0)
            writer.varint(8)
        }
        return .init(
            name: "accepted-text-block-overlapping-match", sections: ["1.3"],
            description: "A text block the encoder would not use (inline text is smaller here), whose match overlaps the bytes it produces: literals \"ab\", then 6 bytes from distance 2, giving \"abababab\".",
            ops: [B.op(B.a, 1, 0, .insertText(entity: B.note, origin: nil, rightOrigin: nil, text: "abababab"))], accepted: bytes)
    }
}
