/// Stored op groups: several ops a store keeps as one row of its log.
///
/// Why: creating a note makes about seven ops (create, text, fields, tags) of one replica on one
/// entity, one after another. Kept one row each, they cost seven entries in the log's key and
/// seven in its entity index, the largest part of writing a note. Kept as one row, they cost one
/// of each. The log's order is unchanged: a group's row sits at its first op's place in
/// (timestamp, replica, seq) order, and a reader that needs the exact order of ops merges each
/// group's later ops back into it (`LogOrderMerge`).
///
/// A group's ops share space, replica and entity; each op's seq follows the previous op's last
/// seq; timestamps strictly increase. The row's key carries the first op's id and timestamp, so
/// the encoding holds neither: a version byte (`groupVersion`), the op count, the entity, then per
/// op — after the first, its timestamp as the millisecond difference from the previous op's and
/// its counter — a tag and the payload's fields as in a standalone payload, without the entity.
extension OpCodec {
    /// The first byte of a stored group; a standalone payload starts with `payloadVersion`.
    /// 0x82: register writes carry `pred`.
    public static let groupVersion: UInt8 = 0x82
    /// Groups stores wrote before `pred` are still read, with empty `pred`s.
    public static let legacyGroupVersion: UInt8 = 0x81
    /// Ops at most in one stored group: it bounds what reading one row decodes.
    public static let maximumGroupCount = 64

    /// Whether `next` may follow `previous` in one stored group.
    public static func canGroup(_ next: Op, after previous: Op) -> Bool {
        next.id.space == previous.id.space && next.id.replica == previous.id.replica
            && next.id.seq == previous.lastSeq &+ 1 && next.timestamp > previous.timestamp
            && next.payload.entity == previous.payload.entity
    }

    /// Encodes the ops of one group (see `canGroup`); a single op gets its standalone payload.
    public static func encodeGroup(_ ops: ArraySlice<Op>) -> [UInt8] {
        precondition(!ops.isEmpty, "a group holds at least one op")
        guard ops.count > 1, let first = ops.first else { return encodePayload(ops[ops.startIndex].payload) }
        let entity = first.payload.entity
        var writer = ByteWriter(capacity: 24 + ops.count * 24)
        writer.byte(groupVersion)
        writer.varint(ops.count)
        writer.bytes16(high: entity.high, low: entity.low)
        let references = StandaloneReferences(impliedEntity: entity)
        var previous: Timestamp? = nil
        for op in ops {
            if let previous {
                writer.varint(op.timestamp.millis &- previous.millis)
                writer.varint(UInt64(op.timestamp.counter))
            }
            writer.byte(Tag.of(op.payload))
            writePayloadBody(op.payload, references: references, to: &writer)
            previous = op.timestamp
        }
        return writer.bytes
    }

    /// Decodes a stored row: a standalone payload (one op) or a group. `id` and `timestamp` are
    /// the first op's, from the row's key. Stored rows are read with the `stored` limits: a row
    /// this store holds is readable whatever the wire's limits (serving decides what it sends).
    public static func decodeStored(
        _ bytes: [UInt8], id: OpID, timestamp: Timestamp, limits: Limits = .stored
    ) throws(CodecError) -> [Op] {
        guard bytes.first == groupVersion || bytes.first == legacyGroupVersion else {
            return [Op(id: id, timestamp: timestamp, payload: try decodePayload(bytes, limits: limits))]
        }
        var reader = ByteReader(bytes)
        _ = try reader.byte()
        let countOffset = reader.offset
        let count = try reader.count(limit: maximumGroupCount)
        guard count >= 2 else { throw CodecError(.invalidValue, at: countOffset, "a stored group of \(count) ops") }
        let (high, low) = try reader.bytes16()
        let references = StandaloneReferences(impliedEntity: EntityID(high: high, low: low), carriesPred: bytes.first == groupVersion)
        var ops: [Op] = []
        ops.reserveCapacity(count)
        var next = Op(id: id, timestamp: timestamp, payload: .purge(entity: EntityID(high: high, low: low)))
        for index in 0..<count {
            if let previous = ops.last {
                let offset = reader.offset
                let (millis, overflow) = previous.timestamp.millis.addingReportingOverflow(try reader.varint())
                let counter = try reader.varint()
                guard !overflow, counter <= UInt64(UInt32.max) else {
                    throw CodecError(.invalidValue, at: offset, "op \(index) of a stored group has an impossible timestamp")
                }
                next.timestamp = Timestamp(millis: millis, counter: UInt32(counter))
                next.id.seq = previous.lastSeq &+ 1
                guard next.timestamp > previous.timestamp, next.id.seq > previous.lastSeq else {
                    throw CodecError(.invalidValue, at: offset, "op \(index) of a stored group is not after the op before it")
                }
            }
            let tagOffset = reader.offset
            let tag = try reader.byte()
            guard (Tag.create...Tag.erased).contains(tag) else {
                throw CodecError(.unknownTag, at: tagOffset, "unknown payload tag \(tag)")
            }
            next.payload = try readPayloadBody(tag: tag, references: references, limits: limits, from: &reader)
            ops.append(next)
        }
        guard reader.isAtEnd else {
            throw CodecError(.trailingBytes, at: reader.offset, "\(reader.remaining) bytes after a stored group")
        }
        return ops
    }
}
