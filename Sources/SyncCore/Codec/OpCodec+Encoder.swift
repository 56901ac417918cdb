extension OpCodec {
    /// The key of "the next sequence number expected" from one replica in one space.
    struct SeqKey: Hashable {
        var space: Int
        var replica: Int
    }

    /// Writes a batch in two passes: the first collects the tables in order of first use,
    /// the second writes the ops against them.
    struct BatchEncoder {
        private var spaces: [SpaceID] = []
        private var spaceIndex: [SpaceID: Int] = [:]
        private var replicas: [ReplicaID] = []
        private var replicaIndex: [ReplicaID: Int] = [:]
        private var entities: [EntityID] = []
        private var entityIndex: [EntityID: Int] = [:]

        mutating func encode(_ batch: OpBatch) -> [UInt8] {
            for op in batch.ops { collect(op) }
            var writer = ByteWriter(capacity: 8 + spaces.count * 9 + (replicas.count + entities.count) * 16 + batch.ops.count * 8)
            writer.byte(OpCodec.version)
            writer.varint(spaces.count)
            for space in spaces { writer.string(space.name) }
            writer.varint(replicas.count)
            for replica in replicas { writer.bytes16(high: replica.high, low: replica.low) }
            writer.varint(entities.count)
            for entity in entities { writer.bytes16(high: entity.high, low: entity.low) }
            writer.varint(batch.ops.count)

            var previous: Op? = nil
            var nextSeq: [SeqKey: UInt64] = [:]
            for op in batch.ops {
                let key = SeqKey(space: spaceIndex[op.id.space, default: 0], replica: replicaIndex[op.id.replica, default: 0])
                if let previous, writeRun(op, after: previous, to: &writer) {
                    // Written in a run form.
                } else {
                    writer.byte(Tag.of(op.payload))
                    writer.varint(key.space)
                    writer.varint(key.replica)
                    writer.signedVarint(delta(op.id.seq, from: nextSeq[key, default: 1]))
                    writer.signedVarint(delta(op.timestamp.millis, from: previous?.timestamp.millis ?? 0))
                    writer.varint(UInt64(op.timestamp.counter))
                    let references = BatchWriteReferences(
                        replicaIndex: replicaIndex, entityIndex: entityIndex, replica: op.id.replica, seq: op.id.seq)
                    writePayloadBody(op.payload, references: references, to: &writer)
                }
                nextSeq[key] = op.id.seq &+ span(of: op.payload)
                previous = op
            }
            return writer.bytes
        }

        /// Writes `op` in a run form if it continues `previous`; false if it does not.
        private func writeRun(_ op: Op, after previous: Op, to writer: inout ByteWriter) -> Bool {
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
            collect(op.id.replica)
            let entity = op.payload.entity
            if entityIndex[entity] == nil {
                entityIndex[entity] = entities.count
                entities.append(entity)
            }
            switch op.payload {
            case .removeElement(_, _, _, let observed):
                for dot in observed { collect(dot.replica) }
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

        func write(entity: EntityID, to writer: inout ByteWriter) {
            writer.varint(entityIndex[entity, default: 0])
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
