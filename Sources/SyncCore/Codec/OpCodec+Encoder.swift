extension OpCodec {
    /// Writes a batch in two passes: the first collects the tables in order of first use,
    /// the second writes the ops against them.
    struct BatchEncoder {
        private var spaces: [SpaceID] = []
        private var spaceIndex: [SpaceID: Int] = [:]
        private var replicas: [ReplicaID] = []
        private var replicaIndex: [ReplicaID: Int] = [:]
        private var entities: [EntityID] = []
        private var entityIndex: [EntityID: Int] = [:]
        /// The last op's replica and entity, already in the tables: a batch is mostly runs of one
        /// replica's ops on one entity, and each table lookup hashed 16 bytes (the sender's table
        /// lookups were about a seventh of its time in a 100,000-note first sync).
        private var lastReplica: ReplicaID?
        private var lastEntity: EntityID?

        mutating func encode(_ batch: OpBatch) -> [UInt8] {
            for op in batch.ops { collect(op) }
            var header = ByteWriter(capacity: 8 + spaces.count * 9 + (replicas.count + entities.count) * 16)
            header.byte(OpCodec.version)
            header.varint(spaces.count)
            for space in spaces { header.string(space.name) }
            header.varint(replicas.count)
            for replica in replicas { header.bytes16(high: replica.high, low: replica.low) }
            header.varint(entities.count)
            for entity in entities { header.bytes16(high: entity.high, low: entity.low) }

            // Text goes to the compressed block only when that makes the batch smaller (Protocol.md 1.3)
            // and a decoder with the default limits takes the block (1.7): very repetitive text
            // expands more than a decoder allows, so it goes inline.
            let inline = writeOps(batch, useBlock: false)
            var choice = (ops: inline.ops, stream: [UInt8](), textSize: 0)
            if !inline.blockText.isEmpty || inline.hasText {
                let blocked = writeOps(batch, useBlock: true)
                let stream = TextBlock.compress(blocked.blockText)
                let blockedSize = blocked.ops.count + stream.count + varintSize(blocked.blockText.count) + varintSize(stream.count)
                let ceiling = Limits.default.textBlockCeiling(streamBytes: stream.count)
                if blockedSize < inline.ops.count + 2 && blocked.blockText.count <= ceiling {
                    choice = (blocked.ops, stream, blocked.blockText.count)
                }
            }
            var writer = header
            writer.varint(choice.textSize)
            writer.varint(choice.stream.count)
            writer.raw(choice.stream)
            writer.varint(batch.ops.count)
            writer.raw(choice.ops)
            return writer.bytes
        }

        private func varintSize(_ value: Int) -> Int { TextBlock.varintSize(UInt64(value)) }

        /// The ops, written against the tables; with `useBlock`, insertion text is gathered into
        /// `blockText` and only its length is written with the op.
        private func writeOps(_ batch: OpBatch, useBlock: Bool) -> (ops: [UInt8], blockText: [UInt8], hasText: Bool) {
            var writer = ByteWriter(capacity: batch.ops.count * 6)
            var blockText: [UInt8] = []
            var hasText = false
            var previous: Op? = nil
            var nextSeq = NextSeqs()
            // The last op's space and replica with their key, for the same reason as `lastReplica`.
            var lastKey: (space: SpaceID, replica: ReplicaID, key: SeqKey)?
            for op in batch.ops {
                let key: SeqKey
                if let lastKey, lastKey.replica == op.id.replica, lastKey.space == op.id.space {
                    key = lastKey.key
                } else {
                    key = SeqKey(space: spaceIndex[op.id.space, default: 0], replica: replicaIndex[op.id.replica, default: 0])
                    lastKey = (op.id.space, op.id.replica, key)
                }
                if let previous, writeRun(op, after: previous, useBlock: useBlock, to: &writer, blockText: &blockText) {
                    // Written in a run form.
                } else {
                    let expected = nextSeq.next(key)
                    var tag = Tag.of(op.payload)
                    var textInBlock = false
                    if case .insertText(_, _, _, let text) = op.payload {
                        hasText = true
                        if useBlock {
                            tag |= Tag.blockTextFlag
                            textInBlock = true
                            blockText.append(contentsOf: text.utf8)
                        }
                    }
                    let same = previous.map {
                        $0.id.space == op.id.space && $0.id.replica == op.id.replica && $0.payload.entity == op.payload.entity
                    } ?? false && op.id.seq == expected
                    let sameMillis = previous.map {
                        $0.timestamp.millis == op.timestamp.millis && op.timestamp.counter >= $0.timestamp.counter
                    } ?? false
                    if same { tag |= Tag.sameFlag }
                    if sameMillis { tag |= Tag.sameMillisFlag }
                    writer.byte(tag)
                    if !same {
                        writer.varint(key.space)
                        writer.varint(key.replica)
                        writer.signedVarint(delta(op.id.seq, from: expected))
                    }
                    if sameMillis, let previous {
                        writer.varint(UInt64(op.timestamp.counter - previous.timestamp.counter))
                    } else {
                        writer.signedVarint(delta(op.timestamp.millis, from: previous?.timestamp.millis ?? 0))
                        writer.varint(UInt64(op.timestamp.counter))
                    }
                    let references = BatchWriteReferences(
                        replicaIndex: replicaIndex, entityIndex: entityIndex, replica: op.id.replica, seq: op.id.seq,
                        omitEntity: same, textInBlock: textInBlock)
                    writePayloadBody(op.payload, references: references, to: &writer)
                }
                nextSeq.set(key, op.id.seq &+ span(of: op.payload))
                previous = op
            }
            return (writer.bytes, blockText, hasText)
        }

        /// Writes `op` in a run form if it continues `previous`; false if it does not.
        private func writeRun(_ op: Op, after previous: Op, useBlock: Bool, to writer: inout ByteWriter, blockText: inout [UInt8]) -> Bool {
            guard op.id.space == previous.id.space, op.id.replica == previous.id.replica,
                  canWriteRunTimestamp(op.timestamp, after: previous.timestamp) else { return false }
            switch op.payload {
            case .insertText(let entity, let origin, let rightOrigin, let text):
                guard !text.isEmpty, let origin, let expected = insertContinuation(after: previous),
                      expected == InsertContinuation(seq: op.id.seq, entity: entity, origin: origin, rightOrigin: rightOrigin)
                else { return false }
                let utf8 = text.utf8
                if utf8.count == 1, let unit = utf8.first, unit < 0x80 {
                    writer.byte(Tag.asciiRun | unit)
                    writeRunTimestamp(op.timestamp, after: previous.timestamp, to: &writer)
                } else if useBlock {
                    writer.byte(Tag.blockInsertRun)
                    writeRunTimestamp(op.timestamp, after: previous.timestamp, to: &writer)
                    writer.varint(utf8.count)
                    blockText.append(contentsOf: utf8)
                } else {
                    writer.byte(Tag.insertRun)
                    writeRunTimestamp(op.timestamp, after: previous.timestamp, to: &writer)
                    writer.string(text)
                }
                return true
            case .deleteText(let entity, let ranges):
                guard ranges.count == 1, let range = ranges.first,
                      let expected = backspaceContinuation(after: previous),
                      expected == BackspaceContinuation(seq: op.id.seq, entity: entity, range: range) else { return false }
                writer.byte(Tag.backspaceRun)
                writeRunTimestamp(op.timestamp, after: previous.timestamp, to: &writer)
                return true
            default:
                return false
            }
        }

        private mutating func collect(_ op: Op) {
            if spaceIndex[op.id.space] == nil {
                spaceIndex[op.id.space] = spaces.count
                spaces.append(op.id.space)
            }
            if op.id.replica != lastReplica {
                collect(op.id.replica)
                lastReplica = op.id.replica
            }
            let entity = op.payload.entity
            if entity != lastEntity {
                if entityIndex[entity] == nil {
                    entityIndex[entity] = entities.count
                    entities.append(entity)
                }
                lastEntity = entity
            }
            switch op.payload {
            case .removeElement(_, _, _, let dots), .setField(_, _, _, let dots), .setDeleted(_, _, let dots):
                for dot in dots { collect(dot.replica) }
            case .insertText(_, let origin, let rightOrigin, _):
                if let origin { collect(origin.replica) }
                if let rightOrigin { collect(rightOrigin.replica) }
            case .deleteText(_, let ranges):
                for range in ranges { collect(range.start.replica) }
            default:
                break
            }
        }

        private mutating func collect(_ replica: ReplicaID) {
            if replicaIndex[replica] == nil {
                replicaIndex[replica] = replicas.count
                replicas.append(replica)
            }
        }
    }

    /// Character references inside a batch (Protocol.md 1.4): a varint selector, 0 for an
    /// absent origin, 1 for the op's own replica followed by the zigzag of (op seq − seq),
    /// 2 + i for replica table entry i followed by the seq itself.
    struct BatchWriteReferences: PayloadWriteReferences {
        var replicaIndex: [ReplicaID: Int]
        var entityIndex: [EntityID: Int]
        var replica: ReplicaID
        var seq: UInt64
        /// The op has the "same" flag: its entity is the previous op's and is not written.
        var omitEntity = false
        /// The op's text is in the batch's text block: only its byte length is written.
        var textInBlock = false

        func write(entity: EntityID, to writer: inout ByteWriter) {
            if omitEntity { return }
            writer.varint(entityIndex[entity, default: 0])
        }

        func write(text: String, to writer: inout ByteWriter) {
            if textInBlock {
                writer.varint(text.utf8.count)
            } else {
                writer.string(text)
            }
        }

        func write(charID: CharID, to writer: inout ByteWriter) {
            if charID.replica == replica {
                writer.varint(UInt64(1))
                writer.signedVarint(delta(seq, from: charID.seq))
            } else {
                writer.varint(UInt64(2) &+ UInt64(replicaIndex[charID.replica, default: 0]))
                writer.varint(charID.seq)
            }
        }

        func write(optionalCharID: CharID?, to writer: inout ByteWriter) {
            guard let charID = optionalCharID else { return writer.varint(UInt64(0)) }
            write(charID: charID, to: &writer)
        }
    }
}
