/// What went wrong in the findings component, with a message fit to print as it is.
///
/// Mirrors `StoreError`: a stable `code` for programs and tests, a `message` for people.
public struct FindingsError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No finding has this id (the message lists near matches).
        public static let unknownFinding = Code(rawValue: "unknown_finding")
        /// A user-added finding fails validation (the message lists every problem).
        public static let invalidFinding = Code(rawValue: "invalid_finding")
        /// A finding id is already taken (built in, or added before).
        public static let duplicateFinding = Code(rawValue: "duplicate_finding")
        /// An import file has bad rows; see `FindingsImportError` for the rows.
        public static let invalidImport = Code(rawValue: "invalid_import")
        /// An evidence record cannot be built or shared as asked.
        public static let invalidEvidence = Code(rawValue: "invalid_evidence")
        /// A report parameter is out of range (`minReporters` < 1, `since` after `until`, a bad date).
        public static let invalidReportParameter = Code(rawValue: "invalid_report_parameter")
        /// The store underneath failed.
        public static let storage = Code(rawValue: "storage")
        /// No union rep is known to seal an evidence record to.
        public static let noRep = Code(rawValue: "no_rep")
        /// Only the device that shared an evidence record can withdraw it.
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
