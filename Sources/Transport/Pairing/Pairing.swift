import Foundation
import Pairing
import SyncCore

/// Pairing two devices with a spoken code (Protocol.md section 4): one waits and shows the code
/// (the listener, SPAKE2 party B), the other connects with it (the joiner, party A). SPAKE2 over
/// the code gives both a key only if both typed the same code, and an attacker one guess per
/// code; under that key each offers who it is and what it grants, each person says yes or no,
/// and only when both say yes does each device trust the other.
public enum DevicePairing {
    /// What the joiner sends first, before its SPAKE2 share: a version to refuse early on.
    static let magic = Array("fieldnote pair 1".utf8)
    static let identityA = Array("fieldnote pair joiner".utf8)
    static let identityB = Array("fieldnote pair listener".utf8)
    /// The TCP port a device showing a code waits on, unless told another.
    public static let defaultPort: UInt16 = 7421

    /// The other device, once both people said yes.
    public struct Result: Sendable {
        public var offer: PairingOffer
        public var device: DeviceID
    }

    /// Waits up to `timeout` for one device to connect on `host:port` with `code`, runs the
    /// exchange with it and returns what it offered; the listening socket is closed as soon as
    /// one device connects, so the code is spent whatever happens next. `listening` is told the
    /// port (for `--port 0`) and what the listener accepts (where announcing it helps).
    public static func listen(
        code: PairingCode, host: String, port: UInt16, timeout: Duration, offer: PairingOffer,
        listening: (UInt16, AnnouncementReach) -> Void, decide: (PairingOffer, DeviceID) -> Bool
    ) throws(TransportError) -> Result {
        let (listener, bound) = try Sockets.listen(host: host, port: port, backlog: 1)
        listening(bound, AnnouncementReach(listener: listener))
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let accepted = Sockets.accept(listener, waitingAtMost: milliseconds)
        close(listener)
        guard let descriptor = accepted else {
            throw TransportError(.timedOut, "the code \(code) expired: no device came within \(timeout)")
        }
        let connection = PairingConnection(descriptor: descriptor, timeout: timeout)
        return try exchange(connection, isJoiner: false, code: code, offer: offer, decide: decide)
    }

    /// Connects to a device waiting at `host:port` and runs the exchange with `code`.
    public static func join(
        code: PairingCode, host: String, port: UInt16, timeout: Duration, offer: PairingOffer,
        decide: (PairingOffer, DeviceID) -> Bool
    ) throws(TransportError) -> Result {
        let descriptor: Int32
        do {
            descriptor = try Sockets.connect(host: host, port: port, timeout: .seconds(10))
        } catch {
            throw TransportError(.unreachable, "no pairing is waiting at \(host):\(port) (its code expired, was used, or it has not started): \(error.message)")
        }
        let connection = PairingConnection(descriptor: descriptor, timeout: timeout)
        return try exchange(connection, isJoiner: true, code: code, offer: offer, decide: decide)
    }

    static func exchange(
        _ connection: PairingConnection, isJoiner: Bool, code: PairingCode, offer: PairingOffer,
        decide: (PairingOffer, DeviceID) -> Bool
    ) throws(TransportError) -> Result {
        let sessionKey = try agree(connection, isJoiner: isJoiner, code: code)
        connection.startSealing(sessionKey: sessionKey, isJoiner: isJoiner)
        try connection.send(offer.encode())
        let theirs = try PairingOffer.decode(try connection.receive())
        guard let device = theirs.device else { throw TransportError(.malformed, "pairing: the other device's key is not 32 bytes") }
        guard theirs.publicKey != offer.publicKey else { throw TransportError(.selfConnection, "pairing: this device answered its own code") }
        let agreed = theirs.mine == offer.mine
        let yes = agreed && decide(theirs, device)
        try connection.send([yes ? 1 : 0])
        let answer = try connection.receive()
        guard agreed else {
            throw TransportError(.pairingDeclined, offer.mine
                ? "only this device said --mine; pair again with --mine on both, or on neither"
                : "only the other device said --mine; pair again with --mine on both, or on neither")
        }
        guard yes else { throw TransportError(.pairingDeclined, "you said no: nothing was trusted on either device") }
        guard answer == [1] else {
            throw TransportError(.pairingDeclined, "\(theirs.name) said no on the other device: nothing was trusted on either device")
        }
        return Result(offer: theirs, device: device)
    }

    /// SPAKE2 over the code (RFC 9382, P-256): the session key Ke, or `pairing_failed` when the
    /// other device used another code, which ends this pairing on both sides.
    private static func agree(_ connection: PairingConnection, isJoiner: Bool, code: PairingCode) throws(TransportError) -> [UInt8] {
        let failed = { (why: String) in TransportError(.pairingFailed, why) }
        do {
            let password = try PasswordScalar(code: code.password)
            var spake = try SPAKE2(role: isJoiner ? .partyA : .partyB, password: password, identityA: identityA, identityB: identityB,
                                   additionalData: magic)
            if isJoiner {
                try connection.send(magic + [UInt8(code.channel)] + spake.outgoingShare)
                let reply = try connection.receive()
                guard reply.count == 65 + 32 else { throw failed("the other device did not take the code (it may be for another pairing)") }
                let confirmation = try spake.receivePeerShare(Array(reply.prefix(65)))
                let key = try spake.receivePeerConfirmation(Array(reply.suffix(32)))
                try connection.send(confirmation)
                return key
            }
            let first = try connection.receive()
            guard first.count == magic.count + 1 + 65, Array(first.prefix(magic.count)) == magic else {
                throw failed("a device connected that does not speak this pairing protocol; the code is spent")
            }
            guard Int(first[magic.count]) == code.channel else {
                throw failed("a device connected with a code for channel \(first[magic.count]), not \(code.channel); the code is spent")
            }
            let confirmation = try spake.receivePeerShare(Array(first.suffix(65)))
            try connection.send(spake.outgoingShare + confirmation)
            return try spake.receivePeerConfirmation(try joinersConfirmation(connection))
        } catch let error as TransportError {
            throw error
        } catch let error as PairingError {
            throw TransportError(.pairingFailed, "the codes on the two devices do not match (\(error.message)); nothing was trusted, and the code is spent")
        } catch {
            throw TransportError(.internal, "pairing: \(error)")
        }
    }

    /// The joiner checks the listener's confirmation first and leaves when it does not match: a
    /// closed connection here means the codes differ.
    private static func joinersConfirmation(_ connection: PairingConnection) throws(TransportError) -> [UInt8] {
        do {
            return try connection.receive()
        } catch where error.code == .connectionLost {
            throw TransportError(.pairingFailed, "the codes on the two devices do not match; nothing was trusted, and the code is spent")
        }
    }
}
