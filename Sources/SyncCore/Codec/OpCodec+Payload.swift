/// How a payload names entities and characters when written: through a batch's tables and
/// relative to the op that carries it, or (in a standalone payload) in full.
protocol PayloadWriteReferences {
    func write(entity: EntityID, to writer: inout ByteWriter)
    func write(charID: CharID, to writer: inout ByteWriter)
    /// An origin of an insertion, which may be absent (the start or the end of the text).
    func write(optionalCharID: CharID?, to writer: inout ByteWriter)
    /// An insertion's text: inline, or (in a batch with a text block) its length only.
    func write(text: String, to writer: inout ByteWriter)
}

/// The reading side of `PayloadWriteReferences`, from untrusted input.
protocol PayloadReadReferences {
    /// Whether register writes carry their `pred` (every format but stored payloads of version 1
    /// and groups of version 0x81, written before registers named what they overwrite).
    var carriesPred: Bool { get }
    /// The fewest bytes one character id takes, to bound counts of ids by the bytes left.
    var minimumCharIDBytes: Int { get }
    func readEntity(from reader: inout ByteReader) throws(CodecError) -> EntityID
    func readCharID(from reader: inout ByteReader) throws(CodecError) -> CharID
    func readOptionalCharID(from reader: inout ByteReader) throws(CodecError) -> CharID?
    func readText(from reader: inout ByteReader, limits: OpCodec.Limits) throws(CodecError) -> String
}

extension OpCodec {
    /// The standalone encoding of one payload, as a store keeps it per op row: a version byte,
    /// the payload's tag, then its fields with entities and character ids written in full.
    /// Payloads of the version before (`legacyPayloadVersion`) are still read, with empty `pred`s.
    public static func encodePayload(_ payload: OpPayload) -> [UInt8] {
        var writer = ByteWriter(capacity: 32)
        writer.byte(payloadVersion)
        writer.byte(Tag.of(payload))
        writePayloadBody(payload, references: StandaloneReferences(), to: &writer)
        return writer.bytes
    }

    public static func decodePayload(_ bytes: [UInt8], limits: Limits = .default) throws(CodecError) -> OpPayload {
        var reader = ByteReader(bytes)
        let found = try reader.byte()
        guard found == payloadVersion || found == legacyPayloadVersion else {
            throw CodecError(.unsupportedVersion, at: 0, "payload version \(found) is not supported")
        }
        let tagOffset = reader.offset
        let tag = try reader.byte()
        guard (Tag.create...Tag.erased).contains(tag) else {
            throw CodecError(.unknownTag, at: tagOffset, "unknown payload tag \(tag)")
        }
        let references = StandaloneReferences(carriesPred: found == payloadVersion)
        let payload = try readPayloadBody(tag: tag, references: references, limits: limits, from: &reader)
        guard reader.isAtEnd else {
            throw CodecError(.trailingBytes, at: reader.offset, "\(reader.remaining) bytes after the payload")
        }
        return payload
    }

    /// The fields of a payload, after its tag.
    static func writePayloadBody(_ payload: OpPayload, references: some PayloadWriteReferences, to writer: inout ByteWriter) {
        references.write(entity: payload.entity, to: &writer)
        switch payload {
        case .create(_, let kind):
            writer.byte(kind.rawValue)
        case .setField(_, let key, let value, let pred):
            writer.string(key)
            writeValue(value, to: &writer)
            writeDots(pred, references: references, to: &writer)
        case .addElement(_, let set, let element):
            writer.string(set)
            writer.string(element)
        case .removeElement(_, let set, let element, let observed):
            writer.string(set)
            writer.string(element)
            writeDots(observed, references: references, to: &writer)
        case .insertText(_, let origin, let rightOrigin, let text):
            references.write(optionalCharID: origin, to: &writer)
            references.write(optionalCharID: rightOrigin, to: &writer)
            references.write(text: text, to: &writer)
        case .deleteText(_, let ranges):
            writer.varint(ranges.count)
            for range in ranges {
                references.write(charID: range.start, to: &writer)
                writer.varint(range.count)
            }
        case .setDeleted(_, let deleted, let pred):
            writer.byte(deleted ? 1 : 0)
            writeDots(pred, references: references, to: &writer)
        case .purge:
            break
        case .erased(_, let span):
            writer.varint(span)
        }
    }

    /// A list of dots (a removal's observed additions, a register write's `pred`): a count,
    /// then each as a character id, so the writer's own recent ops take a byte or two in a batch.
    static func writeDots(_ dots: [Dot], references: some PayloadWriteReferences, to writer: inout ByteWriter) {
        writer.varint(dots.count)
        for dot in dots { references.write(charID: dot, to: &writer) }
    }

    static func readDots(
        references: some PayloadReadReferences, limits: Limits, from reader: inout ByteReader
    ) throws(CodecError) -> [Dot] {
        let count = try reader.count(limit: limits.maxObservedDots, minimumBytes: references.minimumCharIDBytes)
        var dots: [Dot] = []
        dots.reserveCapacity(count)
        for _ in 0..<count {
            dots.append(try references.readCharID(from: &reader))
        }
        return dots
    }

    /// A register write's `pred`, where the format carries one.
    static func readPred(
        references: some PayloadReadReferences, limits: Limits, from reader: inout ByteReader
    ) throws(CodecError) -> [Dot] {
        references.carriesPred ? try readDots(references: references, limits: limits, from: &reader) : []
    }

    static func writeValue(_ value: FieldValue, to writer: inout ByteWriter) {
        switch value {
        case .null: writer.byte(ValueType.null)
        case .bool(let flag): writer.byte(flag ? ValueType.true : ValueType.false)
        case .int(let number):
            writer.byte(ValueType.int)
            writer.signedVarint(number)
        case .double(let number):
            writer.byte(ValueType.double)
            writer.fixed64(number.bitPattern)
        case .string(let string):
            writer.byte(ValueType.string)
            writer.string(string)
        }
    }

    /// Reads the fields of a payload whose tag (0x01–0x09) has been read and checked.
    static func readPayloadBody(
        tag: UInt8, references: some PayloadReadReferences, limits: Limits, from reader: inout ByteReader
    ) throws(CodecError) -> OpPayload {
        let entity = try references.readEntity(from: &reader)
        switch tag {
        case Tag.create:
            let offset = reader.offset
            let raw = try reader.byte()
            guard let kind = EntityKind(rawValue: raw) else {
                throw CodecError(.invalidValue, at: offset, "unknown entity kind \(raw)")
            }
            return .create(entity: entity, kind: kind)
        case Tag.setField:
            let key = try readKey(from: &reader, limits: limits)
            let value = try readValue(from: &reader, limits: limits)
            return .setField(entity: entity, key: key, value: value, pred: try readPred(references: references, limits: limits, from: &reader))
        case Tag.addElement:
            let set = try readKey(from: &reader, limits: limits)
            return .addElement(entity: entity, set: set, element: try reader.string(limit: limits.maxStringBytes))
        case Tag.removeElement:
            let set = try readKey(from: &reader, limits: limits)
            let element = try reader.string(limit: limits.maxStringBytes)
            let observed = try readDots(references: references, limits: limits, from: &reader)
            return .removeElement(entity: entity, set: set, element: element, observed: observed)
        case Tag.insertText:
            let origin = try references.readOptionalCharID(from: &reader)
            let rightOrigin = try references.readOptionalCharID(from: &reader)
            let text = try references.readText(from: &reader, limits: limits)
            return .insertText(entity: entity, origin: origin, rightOrigin: rightOrigin, text: text)
        case Tag.deleteText:
            let count = try reader.count(limit: limits.maxRangesPerDelete, minimumBytes: references.minimumCharIDBytes + 1)
            var ranges: [CharRange] = []
            ranges.reserveCapacity(count)
            for _ in 0..<count {
                let start = try references.readCharID(from: &reader)
                let offset = reader.offset
                let length = try reader.varint()
                guard length >= 1 else { throw CodecError(.invalidValue, at: offset, "empty character range") }
                guard lastSeq(seq: start.seq, span: length) != nil else {
                    throw CodecError(.overflow, at: offset, "character range runs past the largest sequence number")
                }
                ranges.append(CharRange(start: start, count: length))
            }
            return .deleteText(entity: entity, ranges: ranges)
        case Tag.setDeleted:
            let offset = reader.offset
            let deleted: Bool
            switch try reader.byte() {
            case 0: deleted = false
            case 1: deleted = true
            case let other: throw CodecError(.invalidValue, at: offset, "deleted flag \(other) is neither 0 nor 1")
            }
            return .setDeleted(entity: entity, deleted: deleted, pred: try readPred(references: references, limits: limits, from: &reader))
        case Tag.purge:
            return .purge(entity: entity)
        case Tag.erased:
            let offset = reader.offset
            let span = try reader.varint()
            guard span >= 1 else { throw CodecError(.invalidValue, at: offset, "an erased op spans at least one sequence number") }
            return .erased(entity: entity, span: span)
        default:
            throw CodecError(.unknownTag, at: reader.offset, "unknown payload tag \(tag)")
        }
    }

    /// The text of an insertion: non-empty, and at most `maxTextScalars` scalars.
    static func readText(from reader: inout ByteReader, limits: Limits) throws(CodecError) -> String {
        let offset = reader.offset
        let text = try reader.string(limit: limits.maxStringBytes)
        guard !text.isEmpty else { throw CodecError(.invalidValue, at: offset, "an insertion inserts at least one character") }
        guard text.unicodeScalarCount <= limits.maxTextScalars else {
            throw CodecError(.lengthOutOfRange, at: offset, "insertion of more than \(limits.maxTextScalars) characters")
        }
        return text
    }

    static func readKey(from reader: inout ByteReader, limits: Limits) throws(CodecError) -> String {
        let offset = reader.offset
        let key = try reader.string(limit: limits.maxStringBytes)
        guard FieldKey.isValid(key) else { throw CodecError(.invalidValue, at: offset, "invalid field or set name") }
        return key
    }

    static func readValue(from reader: inout ByteReader, limits: Limits) throws(CodecError) -> FieldValue {
        let offset = reader.offset
        switch try reader.byte() {
        case ValueType.null: return .null
        case ValueType.false: return .bool(false)
        case ValueType.true: return .bool(true)
        case ValueType.int: return .int(try reader.signedVarint())
        case ValueType.double:
            let number = Double(bitPattern: try reader.fixed64())
            guard number.isFinite else { throw CodecError(.invalidValue, at: offset, "field value is NaN or infinite") }
            return .double(number)
        case ValueType.string: return .string(try reader.string(limit: limits.maxStringBytes))
        case let other: throw CodecError(.unknownTag, at: offset, "unknown field value type \(other)")
        }
    }
}

/// References written in full, for a payload stored on its own: entities and replicas as their
/// sixteen bytes, a character id as its replica's sixteen bytes and a varint sequence number,
/// an optional one behind a presence byte (0 absent, 1 present).
struct StandaloneReferences: PayloadWriteReferences, PayloadReadReferences {
    /// In a stored group (`OpCodec.encodeGroup`) every op names the group's entity, written once
    /// ahead of the ops and not with each of them.
    var impliedEntity: EntityID? = nil
    /// False when reading a payload or group stored before registers carried `pred`.
    var carriesPred = true

    var minimumCharIDBytes: Int { 17 }

    func write(text: String, to writer: inout ByteWriter) { writer.string(text) }

    func readText(from reader: inout ByteReader, limits: OpCodec.Limits) throws(CodecError) -> String {
        try OpCodec.readText(from: &reader, limits: limits)
    }

    func write(entity: EntityID, to writer: inout ByteWriter) {
        if impliedEntity != nil { return }
        writer.bytes16(high: entity.high, low: entity.low)
    }

    func write(charID: CharID, to writer: inout ByteWriter) {
        writer.bytes16(high: charID.replica.high, low: charID.replica.low)
        writer.varint(charID.seq)
    }

    func write(optionalCharID: CharID?, to writer: inout ByteWriter) {
        guard let charID = optionalCharID else { return writer.byte(0) }
        writer.byte(1)
        write(charID: charID, to: &writer)
    }

    func readEntity(from reader: inout ByteReader) throws(CodecError) -> EntityID {
        if let impliedEntity { return impliedEntity }
        let (high, low) = try reader.bytes16()
        return EntityID(high: high, low: low)
    }

    func readCharID(from reader: inout ByteReader) throws(CodecError) -> CharID {
        let (high, low) = try reader.bytes16()
        let offset = reader.offset
        let seq = try reader.varint()
        guard seq >= 1 else { throw CodecError(.invalidValue, at: offset, "sequence number 0") }
        return CharID(replica: ReplicaID(high: high, low: low), seq: seq)
    }

    func readOptionalCharID(from reader: inout ByteReader) throws(CodecError) -> CharID? {
        let offset = reader.offset
        switch try reader.byte() {
        case 0: return nil
        case 1: return try readCharID(from: &reader)
        case let other: throw CodecError(.invalidValue, at: offset, "presence byte \(other) is neither 0 nor 1")
        }
    }
}
