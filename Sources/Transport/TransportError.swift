import COpenSSL
import SyncCore

/// An error raised by the transport: a stable code for scripts and tests, and one readable line for people.
///
/// Shaped like `StoreError` and GRDB's `DatabaseError`: one struct with a code, so the terminal
/// client prints `message` and picks an exit status from `code`, and tests match on `code`. It
/// is the session's own error type: protocol codes (Protocol.md 2.7) are spelled the same on the
/// wire, and the transport adds its local ones below.
public typealias TransportError = SessionError

extension SessionError {
    /// An `openSSL` (or other code) error whose message ends with OpenSSL's error queue, which it empties.
    static func openSSL(_ what: String, code: Code = .openSSL) -> SessionError {
        let queue = OpenSSLErrors.drain()
        return SessionError(code, queue.isEmpty ? what : "\(what): \(queue)")
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

/// The transport's own codes: failures of this device, its socket or its files, never sent in ERROR.
extension SessionError.Code {
    /// OpenSSL refused an operation; the message carries its error queue.
    public static let openSSL = Self(rawValue: "openssl")
    /// The device key or certificate could not be created, read or written.
    public static let identity = Self(rawValue: "identity")
    /// A device id is malformed or its check characters do not match (a typing mistake).
    public static let invalidDeviceID = Self(rawValue: "invalid_device_id")
    /// The trust list file could not be read or written, or an argument to it is invalid.
    public static let trustList = Self(rawValue: "trust_list")
    /// The trust list was written by a fieldnote whose device ids named certificates (protocol 4 and before).
    public static let outdatedTrustList = Self(rawValue: "outdated_trust_list")
    /// No peer in the trust list has this device id or name.
    public static let unknownPeer = Self(rawValue: "unknown_peer")
    /// A socket could not be created, bound or listened on (address in use, bad address…).
    public static let cannotListen = Self(rawValue: "cannot_listen")
    /// The peer's host name did not resolve, or nothing listens there (refused, unreachable).
    public static let unreachable = Self(rawValue: "unreachable")
    /// The TLS handshake failed: an untrusted or missing certificate on either side, TLS below 1.3…
    public static let handshakeFailed = Self(rawValue: "handshake_failed")
    /// The connection closed or broke before the session ended.
    public static let connectionLost = Self(rawValue: "connection_lost")
    /// The store refused to read or apply; the message carries the store's error.
    public static let store = Self(rawValue: "store")

    /// Pairing: the two devices used different codes (or someone in between guessed): the
    /// code is spent and nothing is trusted.
    public static let pairingFailed = Self(rawValue: "pairing_failed")
    /// Pairing: one of the two people said no, or the two disagree on `--mine`.
    public static let pairingDeclined = Self(rawValue: "pairing_declined")
}
