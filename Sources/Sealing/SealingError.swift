/// A failure to make a key, seal or sign: OpenSSL refused an operation, or an input has the
/// wrong shape. Opening an envelope that is not for this key is not an error (it returns nil).
public struct SealingError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// OpenSSL refused an operation that cannot fail on good input.
        public static let openSSL = Code(rawValue: "openssl")
        /// A key, seed or envelope of the wrong length or form.
        public static let invalidInput = Code(rawValue: "invalid_input")

        /// Lets `catch let error where error.code ~= .openSSL` read as a match.
        public static func ~= (code: Code, error: SealingError) -> Bool { error.code == code }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code.rawValue))" }
}
