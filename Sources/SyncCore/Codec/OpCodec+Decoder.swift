extension OpCodec {
    /// Reads a batch from untrusted input (Protocol.md 1.7, 1.8): every count is checked against the
    /// limits and the bytes left before anything is reserved, every index against its table,
    /// every arithmetic step for overflow.
    struct BatchDecoder {
        private var reader: ByteReader
        private let limits: Limits
        private var spaces: [SpaceID] = []
        private var replicas: [ReplicaID] = []
        private var entities: [EntityID] = []
        private var text = TextSource(bytes: [])

        init(_ bytes: [UInt8], limits: Limits) {
            self.reader = ByteReader(bytes)
            self.limits = limits
        }

        mutating func decode() throws(CodecError) -> OpBatch {
            let found = try reader.byte()
            guard found == OpCodec.version else {
                throw CodecError(.unsupportedVersion, at: 0, "batch version \(found) is not supported")
            }
            try readTables()
            try readTextBlock()
            // The shortest op, an ASCII run, is two bytes.
            let opCount = try reader.count(limit: limits.maxOps, minimumBytes: 2)
            var ops: [Op] = []
            ops.reserveCapacity(opCount)
            var previous: (op: Op, key: SeqKey)? = nil
            var nextSeq = NextSeqs()
            for _ in 0..<opCount {
                let (op, key, span) = try readOp(after: previous, nextSeq: nextSeq)
                nextSeq.set(key, op.id.seq &+ span)
                previous = (op, key)
                ops.append(op)
            }
            guard reader.isAtEnd else {
                throw CodecError(.trailingBytes, at: reader.offset, "\(reader.remaining) bytes after the last op")
            }
            guard text.isAtEnd else {
                throw CodecError(.invalidValue, at: reader.offset, "\(text.remaining) bytes of the text block are used by no op")
            }
            return OpBatch(ops: ops)
        }

        /// The text block (Protocol.md 1.3): its decompressed size, checked against the limit
        /// and against what its compressed stream may expand to (`textBlockCeiling`) before
        /// anything is allocated, then the compressed stream.
        private mutating func readTextBlock() throws(CodecError) {
            let sizeOffset = reader.offset
            let size = try reader.count(limit: limits.maxBatchTextBytes)
            let streamLength = try reader.count(limit: Int.max, minimumBytes: 1)
            let streamOffset = reader.offset
            let ceiling = limits.textBlockCeiling(streamBytes: streamLength)
            guard size <= ceiling else {
                throw CodecError(.lengthOutOfRange, at: sizeOffset,
                                 "a text block of \(size) bytes from a \(streamLength)-byte stream exceeds its limit of \(ceiling)")
            }
            let stream = try reader.raw(streamLength)
            guard size > 0 || streamLength == 0 else {
                throw CodecError(.trailingBytes, at: streamOffset, "an empty text block has a stream")
            }
            do {
                text = TextSource(bytes: try TextBlock.decompress(stream, size: size, limit: ceiling))
            } catch {
                throw CodecError(error.code, at: streamOffset + error.offset, "text block: \(error.message)")
            }
        }

        private mutating func readTables() throws(CodecError) {
            // A space name takes at least two bytes (length and one letter); an id sixteen.
            let spaceCount = try reader.count(limit: limits.maxSpaces, minimumBytes: 2)
            spaces.reserveCapacity(spaceCount)
            var seenSpaces: Set<SpaceID> = []
            for _ in 0..<spaceCount {
                let offset = reader.offset
                let name = try reader.string(limit: SpaceID.maximumLength)
                guard SpaceID.isValid(name), let space = try? SpaceID(name) else {
                    throw CodecError(.invalidValue, at: offset, "invalid space name")
                }
                guard seenSpaces.insert(space).inserted else {
                    throw CodecError(.invalidValue, at: offset, "space \(name) appears twice in the table")
                }
                spaces.append(space)
            }
            replicas = try readIDTable(limit: limits.maxReplicas, make: ReplicaID.init(high:low:)) { "replica \($0)" }
            entities = try readIDTable(limit: limits.maxEntities, make: EntityID.init(high:low:)) { "entity \($0.short)" }
        }

        /// A table of 16-byte ids: a count, then the ids, each at most once.
        private mutating func readIDTable<ID: Hashable>(
            limit: Int, make: (UInt64, UInt64) -> ID, describe: (ID) -> String
        ) throws(CodecError) -> [ID] {
            let count = try reader.count(limit: limit, minimumBytes: 16)
            var table: [ID] = []
            table.reserveCapacity(count)
            var seen: Set<ID> = []
            for _ in 0..<count {
                let offset = reader.offset
                let (high, low) = try reader.bytes16()
                let id = make(high, low)
                guard seen.insert(id).inserted else {
                    throw CodecError(.invalidValue, at: offset, "\(describe(id)) appears twice in the table")
                }
                table.append(id)
            }
            return table
        }

        private mutating func readOp(
            after previous: (op: Op, key: SeqKey)?, nextSeq: NextSeqs
        ) throws(CodecError) -> (Op, SeqKey, span: UInt64) {
            let tagOffset = reader.offset
            let tag = try reader.byte()
            switch tag {
            case Tag.insertRun, Tag.backspaceRun, Tag.blockInsertRun, Tag.asciiRun...UInt8.max:
                guard let previous else {
                    throw CodecError(.invalidValue, at: tagOffset, "a run form needs an op before it to continue")
                }
                let (op, span) = try readRunOp(tag: tag, at: tagOffset, after: previous.op)
                return (op, previous.key, span)
            default:
                let kind = tag & 0x0F
                let flags = tag & 0x70
                guard (Tag.create...Tag.erased).contains(kind),
                      flags & Tag.blockTextFlag == 0 || kind == Tag.insertText else {
                    throw CodecError(.unknownTag, at: tagOffset, "unknown op tag \(tag)")
                }
                if flags & (Tag.sameFlag | Tag.sameMillisFlag) != 0 && previous == nil {
                    throw CodecError(.invalidValue, at: tagOffset, "the first op of a batch cannot refer to the one before it")
                }
                return try readFullOp(tag: kind, flags: flags, previous: previous, nextSeq: nextSeq)
            }
        }

        private mutating func readFullOp(
            tag: UInt8, flags: UInt8, previous: (op: Op, key: SeqKey)?, nextSeq: NextSeqs
        ) throws(CodecError) -> (Op, SeqKey, span: UInt64) {
            let key: SeqKey
            let seq: UInt64
            let seqOffset = reader.offset
            var sameEntity: EntityID? = nil
            if flags & Tag.sameFlag != 0, let previous {
                key = previous.key
                seq = nextSeq.next(key)
                sameEntity = previous.op.entity
            } else {
                key = SeqKey(space: try readIndex(count: spaces.count, "space"), replica: try readIndex(count: replicas.count, "replica"))
                seq = nextSeq.next(key) &+ UInt64(bitPattern: try reader.signedVarint())
            }
            guard seq != 0 else { throw CodecError(.invalidValue, at: seqOffset, "sequence number 0") }
            let millis: UInt64
            let counter: UInt32
            let counterOffset = reader.offset
            if flags & Tag.sameMillisFlag != 0, let previous {
                millis = previous.op.timestamp.millis
                let (sum, overflow) = UInt64(previous.op.timestamp.counter).addingReportingOverflow(try reader.varint())
                guard !overflow, let narrow = UInt32(exactly: sum) else {
                    throw CodecError(.overflow, at: counterOffset, "counter does not fit 32 bits")
                }
                counter = narrow
            } else {
                millis = (previous?.op.timestamp.millis ?? 0) &+ UInt64(bitPattern: try reader.signedVarint())
                let offset = reader.offset
                guard let narrow = UInt32(exactly: try reader.varint()) else {
                    throw CodecError(.overflow, at: offset, "counter does not fit 32 bits")
                }
                counter = narrow
            }
            let replica = replicas[key.replica]
            let references = BatchReadReferences(
                replicas: replicas, entities: entities, replica: replica, seq: seq, sameEntity: sameEntity,
                text: flags & Tag.blockTextFlag != 0 ? text : nil)
            let payloadOffset = reader.offset
            let payload = try readPayloadBody(tag: tag, references: references, limits: limits, from: &reader)
            let span = span(of: payload)
            guard lastSeq(seq: seq, span: span) != nil else {
                throw CodecError(.overflow, at: payloadOffset, "op runs past the largest sequence number")
            }
            let id = OpID(space: spaces[key.space], replica: replica, seq: seq)
            return (Op(id: id, timestamp: Timestamp(millis: millis, counter: counter), payload: payload), key, span)
        }

        /// A run form's op and its span.
        private mutating func readRunOp(tag: UInt8, at tagOffset: Int, after previous: Op) throws(CodecError) -> (Op, UInt64) {
            if tag == Tag.backspaceRun {
                guard let expected = backspaceContinuation(after: previous) else {
                    throw runError(at: tagOffset, after: previous, "a backspace run must follow an insertion or a one-range deletion")
                }
                let timestamp = try readRunTimestamp(after: previous.timestamp, from: &reader)
                let id = OpID(space: previous.id.space, replica: previous.id.replica, seq: expected.seq)
                return (Op(id: id, timestamp: timestamp, payload: .deleteText(entity: expected.entity, ranges: [expected.range])), 1)
            }
            guard let expected = insertContinuation(after: previous) else {
                throw runError(at: tagOffset, after: previous, "an insertion run must follow an insertion")
            }
            let timestamp = try readRunTimestamp(after: previous.timestamp, from: &reader)
            let textOffset = reader.offset
            let text: String
            if tag == Tag.insertRun {
                text = try readText(from: &reader, limits: limits)
            } else if tag == Tag.blockInsertRun {
                text = try self.text.read(from: &reader, limits: limits)
            } else {
                text = String(Character(Unicode.Scalar(tag & 0x7F)))
            }
            let span = UInt64(text.unicodeScalarCount)
            guard lastSeq(seq: expected.seq, span: span) != nil else {
                throw CodecError(.overflow, at: textOffset, "op runs past the largest sequence number")
            }
            let id = OpID(space: previous.id.space, replica: previous.id.replica, seq: expected.seq)
            let payload = OpPayload.insertText(
                entity: expected.entity, origin: expected.origin, rightOrigin: expected.rightOrigin, text: text)
            return (Op(id: id, timestamp: timestamp, payload: payload), span)
        }

        /// A run form that cannot continue `previous`: past the largest sequence number, or
        /// after an op of a kind it does not continue.
        private func runError(at offset: Int, after previous: Op, _ message: String) -> CodecError {
            if lastSeq(seq: previous.id.seq, span: span(of: previous.payload)) == UInt64.max {
                return CodecError(.overflow, at: offset, "a run cannot continue past the largest sequence number")
            }
            return CodecError(.invalidValue, at: offset, message)
        }

        private mutating func readIndex(count: Int, _ table: String) throws(CodecError) -> Int {
            try reader.index(count: count, table)
        }
    }

    struct BatchReadReferences: PayloadReadReferences {
        var replicas: [ReplicaID]
        var entities: [EntityID]
        var replica: ReplicaID
        var seq: UInt64
        /// The previous op's entity, when the op has the "same" flag and names no entity itself.
        var sameEntity: EntityID? = nil
        /// The batch's text block, when the op's text is taken from it.
        var text: TextSource? = nil

        /// A selector byte and a one-byte sequence number or delta.
        var minimumCharIDBytes: Int { 2 }
        var carriesPred: Bool { true }

        func readEntity(from reader: inout ByteReader) throws(CodecError) -> EntityID {
            if let sameEntity { return sameEntity }
            return entities[try reader.index(count: entities.count, "entity")]
        }

        func readText(from reader: inout ByteReader, limits: Limits) throws(CodecError) -> String {
            if let text { return try text.read(from: &reader, limits: limits) }
            return try OpCodec.readText(from: &reader, limits: limits)
        }

        func readCharID(from reader: inout ByteReader) throws(CodecError) -> CharID {
            guard let id = try readOptionalCharID(from: &reader, allowAbsent: false) else {
                throw CodecError(.invalidValue, at: reader.offset, "missing character id")
            }
            return id
        }

        func readOptionalCharID(from reader: inout ByteReader) throws(CodecError) -> CharID? {
            try readOptionalCharID(from: &reader, allowAbsent: true)
        }

        private func readOptionalCharID(from reader: inout ByteReader, allowAbsent: Bool) throws(CodecError) -> CharID? {
            let offset = reader.offset
            let selector = try reader.varint()
            let id: CharID
            switch selector {
            case 0:
                guard allowAbsent else { throw CodecError(.invalidValue, at: offset, "a character id is required here") }
                return nil
            case 1:
                id = CharID(replica: replica, seq: seq &- UInt64(bitPattern: try reader.signedVarint()))
            default:
                guard selector - 2 < UInt64(replicas.count) else {
                    throw CodecError(.indexOutOfRange, at: offset, "replica index \(selector - 2) past the table of \(replicas.count)")
                }
                id = CharID(replica: replicas[Int(selector - 2)], seq: try reader.varint())
            }
            guard id.seq != 0 else { throw CodecError(.invalidValue, at: offset, "sequence number 0") }
            return id
        }
    }
}

extension ByteReader {
    /// A varint index into a table of `count` entries.
    mutating func index(count: Int, _ table: String) throws(CodecError) -> Int {
        let offset = self.offset
        let value = try varint()
        guard value < UInt64(max(count, 0)) else {
            throw CodecError(.indexOutOfRange, at: offset, "\(table) index \(value) past the table of \(count)")
        }
        return Int(value)
    }
}

/// The decompressed text block of a batch, consumed in op order.
final class TextSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    /// Reads an insertion's byte length from `reader` and takes that many bytes of the block.
    func read(from reader: inout ByteReader, limits: OpCodec.Limits) throws(CodecError) -> String {
        let start = reader.offset
        let length = try reader.varint()
        guard length >= 1 else { throw CodecError(.invalidValue, at: start, "an insertion inserts at least one character") }
        guard length <= UInt64(max(limits.maxStringBytes, 0)) else {
            throw CodecError(.lengthOutOfRange, at: start, "text of \(length) bytes exceeds the limit of \(limits.maxStringBytes)")
        }
        guard length <= UInt64(remaining) else {
            throw CodecError(.invalidValue, at: start, "text of \(length) bytes, \(remaining) left in the text block")
        }
        let end = offset + Int(length)
        guard let text = String(utf8Validating: bytes[offset..<end]) else {
            throw CodecError(.invalidUTF8, at: start, "text is not valid UTF-8")
        }
        guard text.unicodeScalarCount <= limits.maxTextScalars else {
            throw CodecError(.lengthOutOfRange, at: start, "insertion of more than \(limits.maxTextScalars) characters")
        }
        offset = end
        return text
    }
}
