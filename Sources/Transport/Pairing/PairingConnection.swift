import Foundation
import Sealing
#if canImport(Glibc)
import Glibc
#endif

/// One pairing connection: plain TCP, messages framed by a 4-byte big-endian length (at most
/// `maximumMessage` bytes). No TLS: the devices do not trust each other yet; SPAKE2 over the code
/// authenticates the exchange, and everything after it is sealed under its key.
// Not Sendable: one thread owns it, from connect or accept to close.
final class PairingConnection {
    static let maximumMessage = 4096

    private let descriptor: Int32
    /// Seals under keys derived from the SPAKE2 key, once confirmed: one key per message and
    /// direction, so each key seals once (`AESGCM`'s zero nonce).
    private var sealing: (send: [UInt8], receive: [UInt8])?
    private var sent: UInt64 = 0
    private var received: UInt64 = 0

    init(descriptor: Int32, timeout: Duration) {
        self.descriptor = descriptor
        Sockets.setTimeouts(descriptor, timeout)
    }

    deinit { close(descriptor) }

    /// From now on, every message is sealed: `joinerToListener` / `listenerToJoiner` keys from
    /// HKDF-SHA-256 of the SPAKE2 key Ke (Protocol.md 4.3).
    func startSealing(sessionKey: [UInt8], isJoiner: Bool) {
        let toListener = Digests.hkdf(secret: sessionKey, salt: [], info: Array("fieldnote pair 1 joiner to listener".utf8), length: 32)
        let toJoiner = Digests.hkdf(secret: sessionKey, salt: [], info: Array("fieldnote pair 1 listener to joiner".utf8), length: 32)
        sealing = isJoiner ? (toListener, toJoiner) : (toJoiner, toListener)
    }

    func send(_ body: [UInt8]) throws(TransportError) {
        var body = body
        if let keys = sealing {
            body = (try? AESGCM.seal(body, key: Self.messageKey(keys.send, sent), aad: Self.aad)) ?? []
            sent += 1
        }
        let length = UInt32(body.count)
        try write([UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + body)
    }

    func receive() throws(TransportError) -> [UInt8] {
        let header = try read(4)
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= Self.maximumMessage else { throw TransportError(.frameTooLarge, "pairing: a message of \(length) bytes") }
        let body = try read(length)
        guard let keys = sealing else { return body }
        guard let opened = AESGCM.open(body, key: Self.messageKey(keys.receive, received), aad: Self.aad) else {
            throw TransportError(.pairingFailed, "pairing: a message from the other device does not open under the pairing key")
        }
        received += 1
        return opened
    }

    private static let aad = Array("fieldnote pair 1".utf8)

    private static func messageKey(_ base: [UInt8], _ number: UInt64) -> [UInt8] {
        Digests.hkdf(secret: base, salt: [], info: Array("message".utf8) + withUnsafeBytes(of: number.bigEndian, Array.init), length: 32)
    }

    private func write(_ bytes: [UInt8]) throws(TransportError) {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if result < 0 {
                if errno == EINTR { continue }
                throw errno == EAGAIN ? TransportError(.timedOut, "pairing: the other device stopped answering")
                    : TransportError(.connectionLost, "pairing: \(Sockets.errorText())")
            }
            offset += result
        }
    }

    private func read(_ count: Int) throws(TransportError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let result = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + offset, count - offset, 0) }
            if result == 0 { throw TransportError(.connectionLost, "pairing: the other device ended the pairing") }
            if result < 0 {
                if errno == EINTR { continue }
                throw errno == EAGAIN ? TransportError(.timedOut, "pairing: the other device did not answer in time")
                    : TransportError(.connectionLost, "pairing: \(Sockets.errorText())")
            }
            offset += result
        }
        return bytes
    }
}
