extension OpCodec {
    /// How much a decoder accepts from one input.
    ///
    /// Every count read from the wire is checked twice before anything is allocated for it:
    /// against the limit here, and against the bytes left in the input (each element takes at
    /// least one byte, most take more), so a forged count cannot make the decoder reserve more
    /// than the input itself justifies.
    public struct Limits: Hashable, Sendable {
        /// Ops in one batch.
        public var maxOps: Int
        /// Entries in the space table of one batch.
        public var maxSpaces: Int
        /// Entries in the replica table of one batch (op authors and the replicas their character ids and dots name).
        public var maxReplicas: Int
        /// Entries in the entity table of one batch.
        public var maxEntities: Int
        /// UTF-8 bytes of one string: an element, a string field value, the text of one insertion.
        public var maxStringBytes: Int
        /// Unicode scalars in the text of one insertion (each takes a sequence number).
        public var maxTextScalars: Int
        /// Character ranges in one deletion.
        public var maxRangesPerDelete: Int
        /// Observed dots in one set removal.
        public var maxObservedDots: Int

        public init(
            maxOps: Int = 65_536,
            maxSpaces: Int = 256,
            maxReplicas: Int = 65_536,
            maxEntities: Int = 65_536,
            maxStringBytes: Int = 1 << 20,
            maxTextScalars: Int = 1 << 18,
            maxRangesPerDelete: Int = 65_536,
            maxObservedDots: Int = 65_536
        ) {
            self.maxOps = maxOps
            self.maxSpaces = maxSpaces
            self.maxReplicas = maxReplicas
            self.maxEntities = maxEntities
            self.maxStringBytes = maxStringBytes
            self.maxTextScalars = maxTextScalars
            self.maxRangesPerDelete = maxRangesPerDelete
            self.maxObservedDots = maxObservedDots
        }

        /// The limits a store and a sync session use unless configured otherwise (see Protocol.md, 1.6).
        public static let `default` = Limits()
    }
}

extension ByteReader {
    /// A count of elements that each take at least `minimumBytes` bytes of the input that
    /// remains: it must fit both `limit` and what the remaining bytes can hold.
    mutating func count(limit: Int, minimumBytes: Int) throws(CodecError) -> Int {
        let start = offset
        let value = try varint()
        guard value <= UInt64(max(limit, 0)) else {
            throw CodecError(.lengthOutOfRange, at: start, "count \(value) exceeds the limit of \(limit)")
        }
        let fits = remaining / max(minimumBytes, 1)
        guard value <= UInt64(fits) else {
            throw CodecError(.truncated, at: start, "count \(value) needs more than the \(remaining) bytes left")
        }
        return Int(value)
    }

    /// A length-prefixed UTF-8 string of at most `limit` bytes, which must be well-formed
    /// UTF-8 of Unicode scalars (no surrogates, no overlong forms).
    mutating func string(limit: Int) throws(CodecError) -> String {
        let start = offset
        let length = try varint()
        guard length <= UInt64(max(limit, 0)) else {
            throw CodecError(.lengthOutOfRange, at: start, "string of \(length) bytes exceeds the limit of \(limit)")
        }
        guard length <= UInt64(remaining) else {
            throw CodecError(.truncated, at: start, "string of \(length) bytes, \(remaining) left")
        }
        let data = try raw(Int(length))
        guard let string = String(validating: data, as: UTF8.self) else {
            throw CodecError(.invalidUTF8, at: start, "string is not valid UTF-8")
        }
        return string
    }

    /// Sixteen raw bytes, as every identifier is written.
    mutating func bytes16() throws(CodecError) -> (high: UInt64, low: UInt64) {
        let high = try fixed64()
        let low = try fixed64()
        return (high, low)
    }
}

extension ByteWriter {
    mutating func bytes16(high: UInt64, low: UInt64) {
        fixed64(high)
        fixed64(low)
    }
}
