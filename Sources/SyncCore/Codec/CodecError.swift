/// Why a byte string could not be decoded, and where.
///
/// Decoding is total: any input yields a value or one of these, never a trap, so a malformed
/// frame from a peer costs that peer its connection and nothing else.
public struct CodecError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let truncated = Code(rawValue: "truncated")
        public static let overflow = Code(rawValue: "overflow")
        public static let nonCanonical = Code(rawValue: "non_canonical")
        public static let lengthOutOfRange = Code(rawValue: "length_out_of_range")
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        public static let unknownTag = Code(rawValue: "unknown_tag")
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        public static let invalidValue = Code(rawValue: "invalid_value")
        public static let trailingBytes = Code(rawValue: "trailing_bytes")
        /// A reference into one of a batch's tables (spaces, replicas, entities) past its end.
        public static let indexOutOfRange = Code(rawValue: "index_out_of_range")
    }

    public var code: Code
    /// Byte offset in the input where the problem was found.
    public var offset: Int
    public var message: String

    public init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at byte \(offset) [\(code)]" }
}
