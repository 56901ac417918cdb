/// Constants of the sync protocol (Protocol.md section 2).
public enum SyncProtocol {
    /// The protocol versions this implementation speaks: only 7. Its client sends, right after
    /// the handshake, its HELLO and the ops the server lacked at their last sync, and the server
    /// answers everything in one flight (2.4); its batches prove their authors (2.8), its HELLO
    /// carries chain values, the person secret and rep keys (2.5), and evidence records are
    /// sealed (3). An earlier peer could take part in none of it.
    public static let minVersion: UInt64 = 7
    public static let maxVersion: UInt64 = 7
    /// Unacknowledged batches a sender may have in flight (Protocol.md 2.4): the receiver applies
    /// one while the next is read from the log, encoded and sent.
    public static let batchWindow = 4
    /// The largest frame any peer may send or must accept: 8 MiB of type and body.
    public static let maxFrameBytes = 8 << 20
    /// The smallest receive limit a peer may announce in HELLO.
    public static let minFrameBytes = 64 << 10
}

/// Message types: the byte after a frame's length.
public enum MessageType: UInt8, Sendable {
    case hello = 0x01
    case batch = 0x02
    case ack = 0x03
    case done = 0x04
    case error = 0x05

    /// The name Protocol.md gives the type, or its byte for one it does not name.
    public static func name(of type: UInt8) -> String {
        MessageType(rawValue: type).map { "\($0)".uppercased() } ?? "type 0x\(String(type, radix: 16))"
    }
}

/// One message: its type byte and body (Protocol.md 2.3).
public struct Frame: Sendable {
    public var type: UInt8
    public var body: [UInt8]

    public init(type: UInt8, body: [UInt8]) {
        self.type = type
        self.body = body
    }

    /// The length a frame's 4-byte big-endian prefix announces (type byte and body), checked
    /// against `limit` before anything is allocated for it.
    public static func bodyLength(_ header: [UInt8], limit: Int) throws(SessionError) -> Int {
        let length = header.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length <= limit else {
            throw SessionError(.frameTooLarge, "a frame of \(length) bytes exceeds the limit of \(limit)")
        }
        guard length >= 1 else { throw SessionError(.malformed, "an empty frame") }
        return length
    }

    /// The frame as it goes on the wire: length, type, body.
    public static func encode(_ type: MessageType, _ body: [UInt8]) -> [UInt8] {
        let length = body.count + 1
        var bytes: [UInt8] = [UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type.rawValue]
        bytes += body
        return bytes
    }
}

/// ACK: a batch received, and what came of it (Protocol.md 2.5, 6.6).
public struct Ack: Hashable, Sendable {
    public var number: UInt64
    /// Ops new to the receiver, applied (including ops kept aside earlier that this batch let in).
    public var applied: UInt64
    /// Ops the receiver held already.
    public var duplicates: UInt64

    public init(number: UInt64, applied: UInt64, duplicates: UInt64) {
        self.number = number
        self.applied = applied
        self.duplicates = duplicates
    }

    public func encode() -> [UInt8] { Counts.encode([number, applied, duplicates]) }

    public static func decode(_ body: [UInt8]) throws(SessionError) -> Ack {
        let values = try Counts.decode(body, count: 3, "ACK")
        return Ack(number: values[0], applied: values[1], duplicates: values[2])
    }
}

/// DONE: the end of a side's turn, with what it sent in that turn.
public struct Done: Hashable, Sendable {
    public var batches: UInt64
    public var ops: UInt64

    public init(batches: UInt64, ops: UInt64) {
        self.batches = batches
        self.ops = ops
    }

    public func encode() -> [UInt8] { Counts.encode([batches, ops]) }

    public static func decode(_ body: [UInt8]) throws(SessionError) -> Done {
        let values = try Counts.decode(body, count: 2, "DONE")
        return Done(batches: values[0], ops: values[1])
    }
}

/// A list of unsigned integers: the body of ACK and DONE.
public enum Counts {
    public static func encode(_ values: [UInt64]) -> [UInt8] {
        var writer = ByteWriter()
        for value in values { writer.varint(value) }
        return writer.bytes
    }

    public static func decode(_ body: [UInt8], count: Int, _ what: String) throws(SessionError) -> [UInt64] {
        var reader = ByteReader(body)
        var values: [UInt64] = []
        do {
            for _ in 0..<count { values.append(try reader.varint()) }
        } catch {
            throw SessionError(.malformed, "\(what): \(error)")
        }
        guard reader.isAtEnd else { throw SessionError(.malformed, "\(what): trailing bytes") }
        return values
    }
}

/// ERROR: a code and a line for people, at most 4 096 bytes.
public enum ErrorMessage {
    public static func encode(_ error: SessionError) -> [UInt8] {
        var writer = ByteWriter()
        writer.string(error.code.rawValue)
        writer.string(String(error.message.utf8.prefix(4096)) ?? error.code.rawValue)
        return writer.bytes
    }

    public static func decode(_ body: [UInt8]) -> SessionError {
        var reader = ByteReader(body)
        guard let code = try? reader.string(), let message = try? reader.string() else {
            return SessionError(.malformed, "the peer sent an unreadable ERROR", fromPeer: true)
        }
        return SessionError(SessionError.Code(rawValue: code), message, fromPeer: true)
    }
}
