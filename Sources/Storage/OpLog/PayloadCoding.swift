import SyncCore

/// The bytes of an op payload in the op log.
///
/// A stand-in until SyncCore's `OpCodec` lands: when it does, replace the bodies of `encode` and
/// `decode` below with `OpCodec.encodePayload(payload)` / `try OpCodec.decodePayload(bytes)` —
/// nothing else in Storage reads or writes payload bytes, so that is the whole change. Stores
/// written with this format will then need a migration that re-encodes the `ops` and `pending`
/// payload columns (no store has been released, so in practice: none).
enum PayloadCoding {
    static func encode(_ payload: OpPayload) -> [UInt8] {
        var writer = ByteWriter(capacity: 48)
        writer.byte(tag(of: payload))
        writer.raw(payload.entity.bytes)
        switch payload {
        case .create(_, let kind):
            writer.byte(kind.rawValue)
        case .setField(_, let key, let value):
            writer.string(key)
            write(value, to: &writer)
        case .addElement(_, let set, let element):
            writer.string(set)
            writer.string(element)
        case .removeElement(_, let set, let element, let observed):
            writer.string(set)
            writer.string(element)
            writer.varint(observed.count)
            for dot in observed { write(dot, to: &writer) }
        case .insertText(_, let origin, let rightOrigin, let text):
            write(optional: origin, to: &writer)
            write(optional: rightOrigin, to: &writer)
            writer.string(text)
        case .deleteText(_, let ranges):
            writer.varint(ranges.count)
            for range in ranges {
                write(range.start, to: &writer)
                writer.varint(range.count)
            }
        case .setDeleted(_, let deleted):
            writer.byte(deleted ? 1 : 0)
        case .purge:
            break
        case .erased(_, let span):
            writer.varint(span)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(CodecError) -> OpPayload {
        var reader = ByteReader(bytes)
        let tagOffset = reader.offset
        let tag = try reader.byte()
        let entity = EntityID(bytes: try reader.raw(16))!
        let payload: OpPayload
        switch tag {
        case 1:
            let offset = reader.offset
            guard let kind = EntityKind(rawValue: try reader.byte()) else {
                throw CodecError(.invalidValue, at: offset, "unknown entity kind")
            }
            payload = .create(entity: entity, kind: kind)
        case 2:
            payload = .setField(entity: entity, key: try reader.string(), value: try readValue(&reader))
        case 3:
            payload = .addElement(entity: entity, set: try reader.string(), element: try reader.string())
        case 4:
            let set = try reader.string()
            let element = try reader.string()
            let count = try reader.count(limit: reader.remaining / 17)
            var observed: [Dot] = []
            for _ in 0..<count { observed.append(try readDot(&reader)) }
            payload = .removeElement(entity: entity, set: set, element: element, observed: observed)
        case 5:
            let origin = try readOptionalDot(&reader)
            let rightOrigin = try readOptionalDot(&reader)
            payload = .insertText(entity: entity, origin: origin, rightOrigin: rightOrigin, text: try reader.string())
        case 6:
            let count = try reader.count(limit: reader.remaining / 18)
            var ranges: [CharRange] = []
            for _ in 0..<count { ranges.append(CharRange(start: try readDot(&reader), count: try reader.varint())) }
            payload = .deleteText(entity: entity, ranges: ranges)
        case 7:
            payload = .setDeleted(entity: entity, deleted: try reader.byte() != 0)
        case 8:
            payload = .purge(entity: entity)
        case 9:
            payload = .erased(entity: entity, span: try reader.varint())
        default:
            throw CodecError(.unknownTag, at: tagOffset, "unknown payload tag \(tag)")
        }
        guard reader.isAtEnd else { throw CodecError(.trailingBytes, at: reader.offset, "bytes after the payload") }
        return payload
    }

    /// The op kind stored beside the payload, so history and status can count kinds without decoding.
    static func tag(of payload: OpPayload) -> UInt8 {
        switch payload {
        case .create: 1
        case .setField: 2
        case .addElement: 3
        case .removeElement: 4
        case .insertText: 5
        case .deleteText: 6
        case .setDeleted: 7
        case .purge: 8
        case .erased: 9
        }
    }

    private static func write(_ value: FieldValue, to writer: inout ByteWriter) {
        switch value {
        case .null: writer.byte(0)
        case .bool(let flag): writer.byte(1); writer.byte(flag ? 1 : 0)
        case .int(let number): writer.byte(2); writer.signedVarint(number)
        case .double(let number): writer.byte(3); writer.fixed64(number.bitPattern)
        case .string(let text): writer.byte(4); writer.string(text)
        }
    }

    private static func readValue(_ reader: inout ByteReader) throws(CodecError) -> FieldValue {
        let offset = reader.offset
        switch try reader.byte() {
        case 0: return .null
        case 1: return .bool(try reader.byte() != 0)
        case 2: return .int(try reader.signedVarint())
        case 3:
            let number = Double(bitPattern: try reader.fixed64())
            guard number.isFinite else { throw CodecError(.invalidValue, at: offset, "field number is not finite") }
            return .double(number)
        case 4: return .string(try reader.string())
        default: throw CodecError(.unknownTag, at: offset, "unknown field value tag")
        }
    }

    private static func write(_ dot: Dot, to writer: inout ByteWriter) {
        writer.raw(dot.replica.bytes)
        writer.varint(dot.seq)
    }

    private static func write(optional dot: Dot?, to writer: inout ByteWriter) {
        guard let dot else { return writer.byte(0) }
        writer.byte(1)
        write(dot, to: &writer)
    }

    private static func readDot(_ reader: inout ByteReader) throws(CodecError) -> Dot {
        Dot(replica: ReplicaID(bytes: try reader.raw(16))!, seq: try reader.varint())
    }

    private static func readOptionalDot(_ reader: inout ByteReader) throws(CodecError) -> Dot? {
        try reader.byte() == 0 ? nil : try readDot(&reader)
    }
}
