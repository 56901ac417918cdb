import COpenSSL

/// An error raised by the transport: a stable code for scripts and tests, and one readable line for people.
///
/// Shaped like `StoreError` and GRDB's `DatabaseError`: one struct with a code, so the terminal
/// client prints `message` and picks an exit status from `code`, and tests match on `code`.
/// Codes that are also protocol error codes (Protocol.md 2.7) are spelled the same on the wire.
public struct TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Local failures.
        /// OpenSSL refused an operation; the message carries its error queue.
        public static let openSSL = Code(rawValue: "openssl")
        /// The device key or certificate could not be created, read or written.
        public static let identity = Code(rawValue: "identity")
        /// A device id is malformed or its check characters do not match (a typing mistake).
        public static let invalidDeviceID = Code(rawValue: "invalid_device_id")
        /// The trust list file could not be read or written, or an argument to it is invalid.
        public static let trustList = Code(rawValue: "trust_list")
        /// The trust list was written by a fieldnote whose device ids named certificates (protocol 4 and before).
        public static let outdatedTrustList = Code(rawValue: "outdated_trust_list")
        /// No peer in the trust list has this device id or name.
        public static let unknownPeer = Code(rawValue: "unknown_peer")
        /// A socket could not be created, bound or listened on (address in use, bad address…).
        public static let cannotListen = Code(rawValue: "cannot_listen")
        /// The peer's host name did not resolve, or nothing listens there (refused, unreachable).
        public static let unreachable = Code(rawValue: "unreachable")
        /// A deadline passed: connect, handshake, HELLO, or the idle timeout.
        public static let timedOut = Code(rawValue: "timed_out")
        /// The TLS handshake failed: an untrusted or missing certificate on either side, TLS below 1.3…
        public static let handshakeFailed = Code(rawValue: "handshake_failed")
        /// The connection closed or broke before the session ended.
        public static let connectionLost = Code(rawValue: "connection_lost")
        /// The store refused to read or apply; the message carries the store's error.
        public static let store = Code(rawValue: "store")

        // Protocol error codes (sent or received in an ERROR message, Protocol.md 2.7).
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
        /// The server has no session slot for this device now: it already has a session there, or
        /// every slot stayed taken. Trying again later is the remedy.
        public static let busy = Code(rawValue: "busy")
        public static let `internal` = Code(rawValue: "internal")
        /// A batch holds ops that their author's signature does not prove (Protocol.md 2.8).
        public static let forged = Code(rawValue: "forged")
        /// Pairing: the two devices used different codes (or someone in between guessed): the
        /// code is spent and nothing is trusted.
        public static let pairingFailed = Code(rawValue: "pairing_failed")
        /// Pairing: one of the two people said no, or the two disagree on `--mine`.
        public static let pairingDeclined = Code(rawValue: "pairing_declined")
    }

    public var code: Code
    public var message: String
    /// True when the peer reported this error in an ERROR message; false when it was found here.
    public var fromPeer: Bool

    public init(_ code: Code, _ message: String, fromPeer: Bool = false) {
        self.code = code
        self.message = message
        self.fromPeer = fromPeer
    }

    public var description: String { "\(fromPeer ? "peer: " : "")\(message) [\(code)]" }

    /// An `openSSL` (or other code) error whose message ends with OpenSSL's error queue, which it empties.
    static func openSSL(_ what: String, code: Code = .openSSL) -> TransportError {
        let queue = OpenSSLErrors.drain()
        return TransportError(code, queue.isEmpty ? what : "\(what): \(queue)")
    }
}

/// OpenSSL's per-thread error queue as text.
enum OpenSSLErrors {
    /// Takes every error off this thread's queue and joins their texts with "; ".
    static func drain() -> String {
        var texts: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let error = ERR_get_error()
            if error == 0 { break }
            ERR_error_string_n(error, &buffer, buffer.count)
            texts.append(text(buffer))
        }
        return texts.joined(separator: "; ")
    }

    static func clear() { ERR_clear_error() }
}
