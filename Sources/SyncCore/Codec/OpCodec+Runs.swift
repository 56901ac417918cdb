/// The compact run forms (Protocol.md 1.5): an op that continues the op just before it in the
/// batch is written as a tag and a timestamp delta (and, for a general insertion, its text),
/// because everything else about it follows from that previous op.
extension OpCodec {
    /// What an insertion continuing `previous` must be, apart from its timestamp and text:
    /// same space, replica and entity, the next sequence number, placed after the previous
    /// insertion's last character and before the same right origin.
    struct InsertContinuation: Equatable {
        var seq: UInt64
        var entity: EntityID
        var origin: CharID
        var rightOrigin: CharID?
    }

    /// What a backspace continuing `previous` must be: the next sequence number, deleting the
    /// one character just typed (after an insertion) or the one just before the first
    /// character deleted (after a one-range deletion).
    struct BackspaceContinuation: Equatable {
        var seq: UInt64
        var entity: EntityID
        var range: CharRange
    }

    static func insertContinuation(after previous: Op) -> InsertContinuation? {
        guard case .insertText(let entity, _, let rightOrigin, let text) = previous.payload,
              let last = lastSeq(seq: previous.id.seq, span: UInt64(text.unicodeScalarCount)),
              last < UInt64.max else { return nil }
        return InsertContinuation(
            seq: last + 1, entity: entity,
            origin: CharID(replica: previous.id.replica, seq: last), rightOrigin: rightOrigin)
    }

    static func backspaceContinuation(after previous: Op) -> BackspaceContinuation? {
        let target: CharID
        let last: UInt64
        switch previous.payload {
        case .insertText(_, _, _, let text):
            guard let end = lastSeq(seq: previous.id.seq, span: UInt64(text.unicodeScalarCount)) else { return nil }
            last = end
            target = CharID(replica: previous.id.replica, seq: end)
        case .deleteText(_, let ranges):
            guard ranges.count == 1, let range = ranges.first, range.start.seq >= 2 else { return nil }
            last = previous.id.seq
            target = CharID(replica: range.start.replica, seq: range.start.seq - 1)
        default:
            return nil
        }
        guard last < UInt64.max else { return nil }
        return BackspaceContinuation(
            seq: last + 1, entity: previous.payload.entity, range: CharRange(start: target, count: 1))
    }

    /// The run timestamp: one varint holding the milliseconds since the previous op shifted
    /// left by one, with the low bit set when a non-zero counter follows as a second varint.
    /// Usable only when the milliseconds did not go backwards (and moved less than 2⁶³).
    static func canWriteRunTimestamp(_ timestamp: Timestamp, after previous: Timestamp) -> Bool {
        timestamp.millis >= previous.millis && timestamp.millis - previous.millis < 1 << 63
    }

    static func writeRunTimestamp(_ timestamp: Timestamp, after previous: Timestamp, to writer: inout ByteWriter) {
        let elapsed = timestamp.millis &- previous.millis
        if timestamp.counter == 0 {
            writer.varint(elapsed << 1)
        } else {
            writer.varint(elapsed << 1 | 1)
            writer.varint(UInt64(timestamp.counter))
        }
    }

    static func readRunTimestamp(after previous: Timestamp, from reader: inout ByteReader) throws(CodecError) -> Timestamp {
        let offset = reader.offset
        let head = try reader.varint()
        let (millis, overflow) = previous.millis.addingReportingOverflow(head >> 1)
        guard !overflow else { throw CodecError(.overflow, at: offset, "timestamp runs past the largest millisecond") }
        guard head & 1 == 1 else { return Timestamp(millis: millis, counter: 0) }
        let counterOffset = reader.offset
        let counter = try reader.varint()
        guard counter != 0 else { throw CodecError(.nonCanonical, at: counterOffset, "a zero counter is written by clearing the flag bit") }
        guard let narrow = UInt32(exactly: counter) else { throw CodecError(.overflow, at: counterOffset, "counter \(counter) does not fit 32 bits") }
        return Timestamp(millis: millis, counter: narrow)
    }
}
