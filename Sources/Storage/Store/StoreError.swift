import GRDB
import SyncCore

/// An error raised by the store: a stable code for scripts and tests, and one readable line for people.
///
/// Shaped like GRDB's `DatabaseError` and SyncCore's `SyncCoreError`: a single struct with a code,
/// so the terminal client can print `message` and exit, and tests can match on `code`, without
/// either knowing every failure the store can meet.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The store directory or database file could not be created or opened.
        public static let cannotOpen = Code(rawValue: "cannot_open")
        /// SQLite reported an error; the message carries its text.
        public static let database = Code(rawValue: "database")
        /// A stored op payload or text state could not be decoded.
        public static let corrupt = Code(rawValue: "corrupt")
        /// No note (or entity) has this id or prefix.
        public static let unknownID = Code(rawValue: "unknown_id")
        /// More than one note starts with this prefix.
        public static let ambiguousID = Code(rawValue: "ambiguous_id")
        /// The key is not in the field catalog.
        public static let unknownField = Code(rawValue: "unknown_field")
        /// The value does not fit the field's type, range or allowed values.
        public static let invalidFieldValue = Code(rawValue: "invalid_field_value")
        /// A case token is malformed or not known to this store.
        public static let unknownCase = Code(rawValue: "unknown_case")
        /// The entity is not a note (a case, for example) where a note is needed.
        public static let notANote = Code(rawValue: "not_a_note")
        /// The note has been purged; nothing can be written to it any more.
        public static let purged = Code(rawValue: "purged")
        /// A peer's clock runs too far ahead; the whole batch was refused.
        public static let clockSkew = Code(rawValue: "clock_skew")
        /// An argument is malformed (space name, tag, empty prefix…).
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The text is longer than a note may be (`OpCodec.maximumNoteScalars`); nothing was written.
        public static let noteTooLong = Code(rawValue: "note_too_long")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code)]" }
}

extension StoreError {
    /// Maps any error met inside a transaction to a `StoreError`, keeping SyncCore's meaning.
    static func wrapping(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as SyncCoreError:
            switch error.code {
            case .clockSkew: return StoreError(.clockSkew, error.message)
            case .entityPurged: return StoreError(.purged, error.message)
            case .unknownEntity: return StoreError(.unknownID, error.message)
            case .invalidFieldKey: return StoreError(.unknownField, error.message)
            case .invalidValue: return StoreError(.invalidFieldValue, error.message)
            case .invalidSpaceName: return StoreError(.invalidArgument, error.message)
            default: return StoreError(.invalidArgument, error.message)
            }
        case let error as CodecError:
            return StoreError(.corrupt, "stored data could not be decoded: \(error)")
        case let error as DatabaseError:
            return StoreError(.database, "database error: \(error.message ?? error.description)")
        default:
            return StoreError(.database, String(describing: error))
        }
    }
}

/// Runs `body`, turning whatever it throws into a `StoreError`.
@inline(__always)
func storeErrors<T>(_ body: () throws -> T) throws(StoreError) -> T {
    do { return try body() } catch { throw StoreError.wrapping(error) }
}
