/// A sync session's protocol error: the code an ERROR message carries (Protocol.md 2.7) and one
/// line for people.
///
/// Kept apart from the transport's error so the session's rules can be decided, and tested, with
/// no socket in sight; the transport turns it into its own error with the same code.
public struct SessionError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let versionMismatch = Code(rawValue: "version_mismatch")
        public static let notTrusted = Code(rawValue: "not_trusted")
        public static let spaceNotGranted = Code(rawValue: "space_not_granted")
        public static let readOnly = Code(rawValue: "read_only")
        public static let frameTooLarge = Code(rawValue: "frame_too_large")
        public static let malformed = Code(rawValue: "malformed")
        public static let unexpectedMessage = Code(rawValue: "unexpected_message")
        public static let clockSkew = Code(rawValue: "clock_skew")
        public static let selfConnection = Code(rawValue: "self_connection")
        public static let shuttingDown = Code(rawValue: "shutting_down")
        public static let busy = Code(rawValue: "busy")
        /// A deadline passed: connect, handshake, HELLO, or the idle timeout.
        public static let timedOut = Code(rawValue: "timed_out")
        public static let `internal` = Code(rawValue: "internal")
        public static let forged = Code(rawValue: "forged")

        /// The codes a side sends in ERROR when it finds the fault itself (2.7). Others — a lost
        /// connection, a local failure that is not the protocol's — end the session silently.
        public static let reported: Set<Code> = [
            .versionMismatch, .notTrusted, .spaceNotGranted, .readOnly, .frameTooLarge, .malformed,
            .unexpectedMessage, .clockSkew, .selfConnection, .shuttingDown, .internal, .timedOut, .busy, .forged,
        ]
    }

    public var code: Code
    public var message: String
    /// True when the peer reported this error in an ERROR message.
    public var fromPeer: Bool

    public init(_ code: Code, _ message: String, fromPeer: Bool = false) {
        self.code = code
        self.message = message
        self.fromPeer = fromPeer
    }

    public var description: String { "\(fromPeer ? "peer: " : "")\(message) [\(code)]" }
}
