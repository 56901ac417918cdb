/// The binary encoding of ops and op batches (Protocol.md, section 1).
///
/// A batch is a version byte, three tables (spaces, replicas, entities: each distinct value
/// once, referenced by index), then the ops, each a tag byte and fields written as deltas from
/// the op before it. A run of typing, where every op continues the insertion before it, is
/// written in a short form of two or three bytes an op.
///
/// Decoding is total: any byte string yields a batch or a `CodecError`, never a trap, and a
/// count read from the input is checked against the limits and the bytes left before anything
/// is allocated for it. `decode(encode(batch)) == batch` for every valid batch.
public enum OpCodec {
    /// The batch format version, the first byte of a batch. 3: register writes carry `pred`.
    public static let version: UInt8 = 3
    /// The standalone payload format version, the first byte of a payload a store keeps.
    /// 2: register writes carry `pred`.
    public static let payloadVersion: UInt8 = 2
    /// Payloads stores wrote before `pred` (version 1) are still read, with empty `pred`s.
    public static let legacyPayloadVersion: UInt8 = 1

    /// Encodes `batch`. Ops are expected to be valid (Protocol.md 1.2, 1.4, 1.8); an invalid op is
    /// still written faithfully, without trapping, and a decoder will refuse it.
    public static func encode(_ batch: OpBatch) -> [UInt8] {
        var encoder = BatchEncoder()
        return encoder.encode(batch)
    }

    public static func decode(_ bytes: [UInt8], limits: Limits = .default) throws(CodecError) -> OpBatch {
        var decoder = BatchDecoder(bytes, limits: limits)
        return try decoder.decode()
    }

    /// Tag bytes: the first byte of every op in a batch (and the second of a standalone payload).
    enum Tag {
        static let create: UInt8 = 0x01
        static let setField: UInt8 = 0x02
        static let addElement: UInt8 = 0x03
        static let removeElement: UInt8 = 0x04
        static let insertText: UInt8 = 0x05
        static let deleteText: UInt8 = 0x06
        static let setDeleted: UInt8 = 0x07
        static let purge: UInt8 = 0x08
        static let erased: UInt8 = 0x09
        /// An insertion continuing the one before it: run timestamp, then the text.
        static let insertRun: UInt8 = 0x10
        /// A deletion of the character just before the one the previous op typed or deleted: run timestamp only.
        static let backspaceRun: UInt8 = 0x11
        /// An insertion run whose text is taken from the batch's text block: run timestamp, then its byte length.
        static let blockInsertRun: UInt8 = 0x12
        /// 0x80 | c: an insertion of the single ASCII character c continuing the one before it: run timestamp only.
        static let asciiRun: UInt8 = 0x80
        /// Flag on a full-form tag: same space, replica and entity as the op before, and the
        /// sequence number expected next; none of them is written.
        static let sameFlag: UInt8 = 0x20
        /// Flag on a full-form tag: the milliseconds of the op before; only a counter delta is written.
        static let sameMillisFlag: UInt8 = 0x40
        /// Flag on a full-form insertion (0x05): its text is taken from the batch's text block.
        static let blockTextFlag: UInt8 = 0x10

        static func of(_ payload: OpPayload) -> UInt8 {
            switch payload {
            case .create: create
            case .setField: setField
            case .addElement: addElement
            case .removeElement: removeElement
            case .insertText: insertText
            case .deleteText: deleteText
            case .setDeleted: setDeleted
            case .purge: purge
            case .erased: erased
            }
        }
    }

    /// Type bytes of a `FieldValue`.
    enum ValueType {
        static let null: UInt8 = 0
        static let `false`: UInt8 = 1
        static let `true`: UInt8 = 2
        static let int: UInt8 = 3
        static let double: UInt8 = 4
        static let string: UInt8 = 5
    }

    /// The number of sequence numbers a payload occupies, counted without trapping.
    static func span(of payload: OpPayload) -> UInt64 {
        switch payload {
        case .insertText(_, _, _, let text): UInt64(text.unicodeScalarCount)
        case .erased(_, let span): span
        default: 1
        }
    }

    /// The last sequence number of an op occupying `span` numbers from `seq`, or nil when that
    /// is not a valid range of sequence numbers (an empty span or one past `UInt64.max`).
    static func lastSeq(seq: UInt64, span: UInt64) -> UInt64? {
        guard span >= 1 else { return nil }
        let (last, overflow) = seq.addingReportingOverflow(span - 1)
        return overflow ? nil : last
    }

    /// The signed difference `a - b`, wrapping, so that `b &+ UInt64(bitPattern: delta) == a` for all values.
    static func delta(_ a: UInt64, from b: UInt64) -> Int64 {
        Int64(bitPattern: a &- b)
    }
}
