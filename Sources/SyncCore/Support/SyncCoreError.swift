/// An error raised by SyncCore: a stable code for scripts and tests, and a message for people.
///
/// Shaped like GRDB's `DatabaseError`: one struct with a code, rather than an enum per module,
/// so that callers can switch on `code` and print `message` without knowing every case.
public struct SyncCoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidSpaceName = Code(rawValue: "invalid_space_name")
        public static let invalidFieldKey = Code(rawValue: "invalid_field_key")
        public static let invalidValue = Code(rawValue: "invalid_value")
        public static let clockSkew = Code(rawValue: "clock_skew")
        public static let unknownEntity = Code(rawValue: "unknown_entity")
        public static let entityPurged = Code(rawValue: "entity_purged")
        public static let positionOutOfRange = Code(rawValue: "position_out_of_range")
        public static let invalidOp = Code(rawValue: "invalid_op")
        /// A change to an evidence record by a device other than its author.
        public static let notAuthor = Code(rawValue: "not_author")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code)]" }
}
