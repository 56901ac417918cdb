import SyncCore

/// The stored form of a note body's CRDT state, so a store can keep it beside the plain text
/// and apply the next op without replaying the note's history.
extension ReferenceTextSequence {
    static let serializationVersion: UInt8 = 1

    func serialized() -> [UInt8] {
        var writer = ByteWriter(capacity: items.count * 24)
        writer.byte(ReferenceTextSequence.serializationVersion)
        writer.varint(items.count)
        for item in items {
            writer.raw(item.id.replica.bytes)
            writer.varint(item.id.seq)
            ReferenceTextSequence.write(item.origin, to: &writer)
            ReferenceTextSequence.write(item.rightOrigin, to: &writer)
            writer.varint(UInt64(item.scalar.value))
            writer.byte(item.isDeleted ? 1 : 0)
        }
        return writer.bytes
    }

    init(serialized bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        let version = try reader.byte()
        guard version == ReferenceTextSequence.serializationVersion else {
            throw CodecError(.unsupportedVersion, at: 0, "text state version \(version) is not supported")
        }
        // Each item takes at least 20 bytes, which bounds the count before anything is reserved.
        let itemCount = try reader.count(limit: reader.remaining / 20)
        self.init()
        items.reserveCapacity(itemCount)
        for _ in 0..<itemCount {
            let id = CharID(replica: try ReferenceTextSequence.readReplica(&reader), seq: try reader.varint())
            let origin = try ReferenceTextSequence.readOptionalID(&reader)
            let rightOrigin = try ReferenceTextSequence.readOptionalID(&reader)
            let offset = reader.offset
            guard let scalar = Unicode.Scalar(UInt32(clamping: try reader.varint())) else {
                throw CodecError(.invalidValue, at: offset, "not a Unicode scalar")
            }
            let deleted = try reader.byte() != 0
            items.append(Item(id: id, origin: origin, rightOrigin: rightOrigin, scalar: scalar, isDeleted: deleted))
            if !deleted { count += 1 }
        }
        guard reader.isAtEnd else { throw CodecError(.trailingBytes, at: reader.offset, "bytes after the text state") }
    }

    private static func write(_ id: CharID?, to writer: inout ByteWriter) {
        guard let id else { return writer.byte(0) }
        writer.byte(1)
        writer.raw(id.replica.bytes)
        writer.varint(id.seq)
    }

    private static func readReplica(_ reader: inout ByteReader) throws(CodecError) -> ReplicaID {
        ReplicaID(bytes: try reader.raw(16))!
    }

    private static func readOptionalID(_ reader: inout ByteReader) throws(CodecError) -> CharID? {
        guard try reader.byte() != 0 else { return nil }
        return CharID(replica: try readReplica(&reader), seq: try reader.varint())
    }
}
