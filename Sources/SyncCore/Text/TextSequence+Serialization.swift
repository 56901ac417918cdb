/// The stored form of a note body's CRDT state, so a store can keep it beside the plain text
/// and apply the next op without replaying the note's history.
///
/// Version 2 stores runs, not characters:
///
///     u8       version (2)
///     varint   replica count, then each replica id (16 bytes)
///     varint   run count, then per run in document order:
///       u8       flags: 1 deleted, 2 origin follows, 4 origin is the previous run's last
///                character, 8 right origin follows, 16 right origin is the previous run's
///       varint   replica index
///       zigzag   sequence number minus the end of this replica's previous run
///       varint   length (at least 1)
///       [varint replica index, zigzag sequence number minus the run's]   origin, if flag 2
///       [varint replica index, zigzag sequence number minus the run's]   right origin, if flag 8
///     varint   byte count, then the UTF-8 of every run's characters in document order
///
/// Runs that continue each other are written as one, however they were split in memory, so
/// equal states give equal bytes. Differences are taken with wrapping arithmetic, which is
/// reversible whatever the values.
extension TextSequence {
    static let serializationVersion: UInt8 = 2

    /// The bits of a run's flags byte; `visibleText(serialized:)` reads them too.
    enum Flag {
        static let deleted: UInt8 = 1
        static let origin: UInt8 = 2
        static let originIsPrevious: UInt8 = 4
        static let rightOrigin: UInt8 = 8
        static let rightOriginIsPrevious: UInt8 = 16
        static let all: UInt8 = 31
    }

    public func serialized() -> [UInt8] {
        var merged: [TextRun] = []
        forEachRun { run in
            if let last = merged.last, last.replica == run.replica, last.end == run.seq, run.origin == last.last,
               run.rightOrigin == last.rightOrigin, run.isDeleted == last.isDeleted {
                merged[merged.count - 1].length += run.length
            } else {
                merged.append(run)
            }
        }
        var writer = ByteWriter(capacity: 32 + replicas.count * 16 + merged.count * 6 + tree.totalCount)
        writer.byte(TextSequence.serializationVersion)
        writer.varint(replicas.count)
        for id in replicas.ids { writer.raw(id.bytes) }
        writer.varint(merged.count)
        var ends = [UInt64](repeating: 0, count: replicas.count)
        var previous: TextRun? = nil
        for run in merged {
            var flags: UInt8 = run.isDeleted ? Flag.deleted : 0
            if let previous, run.origin.exists, run.origin == previous.last {
                flags |= Flag.originIsPrevious
            } else if run.origin.exists {
                flags |= Flag.origin
            }
            if let previous, run.rightOrigin == previous.rightOrigin {
                flags |= Flag.rightOriginIsPrevious
            } else if run.rightOrigin.exists {
                flags |= Flag.rightOrigin
            }
            writer.byte(flags)
            writer.varint(UInt64(run.replica))
            writer.signedVarint(Int64(bitPattern: run.seq &- ends[Int(run.replica)]))
            writer.varint(run.length)
            if flags & Flag.origin != 0 { write(run.origin, relativeTo: run.seq, to: &writer) }
            if flags & Flag.rightOrigin != 0 { write(run.rightOrigin, relativeTo: run.seq, to: &writer) }
            ends[Int(run.replica)] = run.end
            previous = run
        }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(tree.totalCount)
        forEachRun { run in
            for scalar in content[run.content..<(run.content + run.length)] { UTF8.encode(scalar) { utf8.append($0) } }
        }
        writer.lengthPrefixed(utf8)
        return writer.bytes
    }

    public init(serialized bytes: [UInt8]) throws(CodecError) {
        var reader = ByteReader(bytes)
        let version = try reader.byte()
        guard version == TextSequence.serializationVersion else {
            throw CodecError(.unsupportedVersion, at: 0, "text state version \(version) is not supported")
        }
        self.init()
        let replicaCount = try reader.count(limit: reader.remaining / 16)
        for _ in 0..<replicaCount {
            let offset = reader.offset
            let id = ReplicaID(bytes: try reader.raw(16))!
            guard replicas.index(of: id) == nil else { throw CodecError(.invalidValue, at: offset, "replica listed twice") }
            _ = internReplica(id)
        }
        // A run takes at least four bytes and one byte of text, which bounds the count.
        let runCount = try reader.count(limit: reader.remaining / 5)
        guard runCount == 0 || replicaCount > 0 else {
            throw CodecError(.invalidValue, at: reader.offset, "runs without replicas")
        }
        var previous: TextRun? = nil
        var ends = [UInt64](repeating: 0, count: replicaCount)
        var characters = 0
        for _ in 0..<runCount {
            let start = reader.offset
            let flags = try reader.byte()
            guard flags & ~Flag.all == 0, flags & (Flag.origin | Flag.originIsPrevious) != (Flag.origin | Flag.originIsPrevious),
                  flags & (Flag.rightOrigin | Flag.rightOriginIsPrevious) != (Flag.rightOrigin | Flag.rightOriginIsPrevious),
                  previous != nil || flags & (Flag.originIsPrevious | Flag.rightOriginIsPrevious) == 0
            else { throw CodecError(.invalidValue, at: start, "bad run flags \(flags)") }
            let replica = Int32(try reader.count(limit: replicaCount - 1))
            let seq = ends[Int(replica)] &+ UInt64(bitPattern: try reader.signedVarint())
            // Every character needs at least one byte of text after the runs.
            let length = try reader.count(limit: max(0, reader.remaining - characters))
            guard length > 0, seq <= UInt64.max - UInt64(length) else {
                throw CodecError(.invalidValue, at: start, "run of \(length) characters from \(seq) is empty or overflows")
            }
            var run = TextRun(seq: seq, origin: .none, rightOrigin: .none, content: characters, length: length,
                              replica: replica, leaf: -1, isDeleted: flags & Flag.deleted != 0)
            if flags & Flag.origin != 0 { run.origin = try TextSequence.readRef(&reader, relativeTo: seq, replicas: replicaCount) }
            if flags & Flag.originIsPrevious != 0 { run.origin = previous!.last }
            if flags & Flag.rightOrigin != 0 {
                run.rightOrigin = try TextSequence.readRef(&reader, relativeTo: seq, replicas: replicaCount)
            }
            if flags & Flag.rightOriginIsPrevious != 0 { run.rightOrigin = previous!.rightOrigin }
            guard !containsAny(replica: replica, seq: seq, count: length) else {
                throw CodecError(.invalidValue, at: start, "run from \(seq) repeats characters already listed")
            }
            let index = register(run)
            tree.append(index)
            previous = run
            ends[Int(replica)] = run.end
            characters += length
        }
        let textOffset = reader.offset
        let utf8 = try reader.lengthPrefixed()
        guard let decoded = String(utf8Validating: utf8) else {
            throw CodecError(.invalidUTF8, at: textOffset, "text is not valid UTF-8")
        }
        content.reserveCapacity(characters)
        content.append(contentsOf: decoded.unicodeScalars)
        guard content.count == characters else {
            throw CodecError(.invalidValue, at: textOffset, "text has \(content.count) characters, the runs \(characters)")
        }
        guard reader.isAtEnd else { throw CodecError(.trailingBytes, at: reader.offset, "bytes after the text state") }
    }

    private func write(_ ref: CharRef, relativeTo seq: UInt64, to writer: inout ByteWriter) {
        writer.varint(UInt64(ref.replica))
        writer.signedVarint(Int64(bitPattern: ref.seq &- seq))
    }

    private static func readRef(_ reader: inout ByteReader, relativeTo seq: UInt64, replicas: Int) throws(CodecError) -> CharRef {
        let replica = Int32(try reader.count(limit: replicas - 1))
        return CharRef(replica: replica, seq: seq &+ UInt64(bitPattern: try reader.signedVarint()))
    }
}
