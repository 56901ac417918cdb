import ArgumentParser
import Storage
import SyncCore
import Transport

/// Exit statuses, documented in `fieldnote --help`.
enum ExitStatus: Int32 {
    /// Anything else went wrong: the store could not be opened, the editor failed, a refusal.
    case general = 1
    /// The command line could not be parsed (reported by ArgumentParser, with usage).
    case usage = 2
    /// No note or case has that id, token or alias, or an id prefix matches several notes.
    case notFound = 3
    /// A well-formed value was refused: a field key or value, a tag, a space name, empty text.
    case invalidValue = 4
    /// Sync: the peer could not be reached (nothing listens, no route, the connection broke).
    case unreachable = 5
    /// Sync: the peer refused this device or was refused here (not trusted, a grant missing).
    case refused = 6
    /// Sync: the peer did not answer in time (connect, handshake, HELLO, idle).
    case timedOut = 7
    /// Sync: the peers could not agree (protocol version, malformed or unexpected messages).
    case protocolError = 8
    /// Sync: the session worked but nothing was exchanged, because the devices grant each other no
    /// space in common (or none of those asked for with --space).
    case noCommonSpace = 9
}

/// A failure reported on stderr as `error: …` (what happened, one line) and, when there is
/// something to do about it, `hint: …` (what to do next, one line), with its exit status.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var hint: String?
    var status: ExitStatus

    init(_ message: String, hint: String? = nil, status: ExitStatus = .general) {
        self.message = CommandFailure.oneLine(message)
        self.hint = hint.map(CommandFailure.oneLine)
        self.status = status
    }

    var description: String { message }

    /// Maps a library error to the one line and status the client reports.
    static func from(_ error: any Error) -> CommandFailure? {
        switch error {
        case let error as CommandFailure:
            return error
        case let error as StoreError:
            return CommandFailure(error.message, hint: hint(for: error.code), status: status(for: error.code))
        case let error as SyncCoreError:
            let status: ExitStatus = switch error.code {
            case .invalidSpaceName, .invalidFieldKey, .invalidValue: .invalidValue
            case .unknownEntity: .notFound
            default: .general
            }
            return CommandFailure(error.message, status: status)
        case let error as TransportError:
            return CommandFailure(error.fromPeer ? "the other device said: \(error.message)" : error.message,
                                  hint: hint(for: error.code), status: status(for: error.code))
        default:
            return nil
        }
    }

    static func status(for code: StoreError.Code) -> ExitStatus {
        switch code {
        case .unknownID, .ambiguousID, .unknownCase, .notANote: .notFound
        case .unknownField, .invalidFieldValue, .invalidArgument, .noteTooLong: .invalidValue
        default: .general
        }
    }

    /// What to do next, for the library errors where the message alone does not say.
    static func hint(for code: StoreError.Code) -> String? {
        switch code {
        case .noteTooLong: "nothing was saved; split the text into several notes"
        default: nil
        }
    }

    /// What to do next, for the transport errors where the message alone does not say.
    static func hint(for code: TransportError.Code) -> String? {
        switch code {
        case .outdatedTrustList: "ask each colleague for `fieldnote id`, move trust.json aside, and `fieldnote peers add` them again"
        case .pairingFailed: "start again: `fieldnote pair` shows a new code; read it out slowly, word by word"
        case .pairingDeclined: "when both agree, `fieldnote pair` shows a new code"
        default: nil
        }
    }

    static func status(for code: TransportError.Code) -> ExitStatus {
        switch code {
        case .invalidDeviceID: .invalidValue
        case .unknownPeer: .notFound
        case .unreachable, .connectionLost, .cannotListen: .unreachable
        case .handshakeFailed, .notTrusted, .selfConnection, .spaceNotGranted, .readOnly, .pairingFailed, .pairingDeclined: .refused
        case .timedOut: .timedOut
        case .versionMismatch, .malformed, .unexpectedMessage, .frameTooLarge, .clockSkew, .shuttingDown: .protocolError
        default: .general
        }
    }

    /// Error messages are one line: newlines inside (SQLite's, say) become spaces.
    static func oneLine(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
