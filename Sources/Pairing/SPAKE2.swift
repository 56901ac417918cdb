import Sealing

/// One side of one SPAKE2 exchange (RFC 9382), ciphersuite SPAKE2-P256-SHA256-HKDF-HMAC.
///
/// A state machine: the peer's messages go in, this side's messages and the key come out, and it
/// does no I/O, so any transport can carry it and the protocol can be tested byte for byte.
///
///     A (role .partyA)                           B (role .partyB)
///     outgoingShare = pA  ──────────────────▶    cB = receivePeerShare(pA)
///     cA = receivePeerShare(pB)  ◀──────────     outgoingShare = pB
///     cA  ──────────────────────────────────▶    Ke = receivePeerConfirmation(cA)
///     Ke = receivePeerConfirmation(cB)  ◀────    cB
///
/// Each side has its confirmation as soon as it has the peer's share. RFC 9382's sample flow has
/// B send cB only after cA checks out; a caller that wants that keeps cB until
/// `receivePeerConfirmation` returns. Neither side may use Ke before that call returns it: until
/// the peer's MAC checks, the peer has proven nothing (section 3.1).
///
/// One attempt per instance. The type is non-copyable because a copy would carry the same secret
/// scalar x (or y), and two runs with one x may let a peer test codes offline (section 7: x and y
/// MUST NOT be reused). For the same reason any error ends the exchange: the instance refuses
/// every later step, and pairing again means a new instance with a new scalar.
public struct SPAKE2: ~Copyable, Sendable {
    /// Which side of the exchange this is. Both sides must agree, as section 3.1 requires: the
    /// protocol around the exchange decides, for example the device that shows the code is A.
    public enum Role: Sendable, Hashable {
        /// A: masks its share with M; its confirmation is cA.
        case partyA
        /// B: masks its share with N; its confirmation is cB.
        case partyB
    }

    private enum State: Sendable {
        /// The secret scalar x (or y), used once, when the peer's share arrives.
        case awaitingPeerShare(secret: BigNumber)
        case awaitingPeerConfirmation(KeySchedule)
        case confirmed
        /// Something was refused; nothing more will be accepted.
        case failed
    }

    public let role: Role
    /// This side's share, pA or pB: 65 bytes of uncompressed SEC1, to send to the peer.
    public let outgoingShare: [UInt8]

    private let group: P256Group
    private let password: PasswordScalar
    /// w as a number, for the masks.
    private let passwordScalar: BigNumber
    private let identityA: [UInt8]
    private let identityB: [UInt8]
    private let additionalData: [UInt8]
    private var state: State

    /// A new exchange with a fresh secret scalar from OpenSSL's CSPRNG.
    ///
    /// `identityA` and `identityB` name the two parties, the same on both sides (section 3.3: empty
    /// only where the identities are implicit in the application); `additionalData` is AAD both
    /// sides agree on, bound into the confirmation keys, such as a protocol version.
    public init(role: Role, password: PasswordScalar, identityA: [UInt8], identityB: [UInt8],
                additionalData: [UInt8] = []) throws(PairingError) {
        let group = try P256Group()
        try self.init(role: role, group: group, secret: try group.randomScalar(), password: password,
                      identityA: identityA, identityB: identityB, additionalData: additionalData)
    }

    /// An exchange with the secret scalar given, as 32 big-endian bytes in 1 ..< p: only to
    /// reproduce RFC 9382's test vectors, whose x and y are fixed.
    package init(role: Role, password: PasswordScalar, secretScalar: [UInt8], identityA: [UInt8],
                 identityB: [UInt8], additionalData: [UInt8] = []) throws(PairingError) {
        let group = try P256Group()
        try self.init(role: role, group: group, secret: try group.scalar(bigEndian: secretScalar), password: password,
                      identityA: identityA, identityB: identityB, additionalData: additionalData)
    }

    /// Computes this side's share, pA = x·P + w·M or pB = y·P + w·N (section 3.3).
    private init(role: Role, group: P256Group, secret: BigNumber, password: PasswordScalar,
                 identityA: [UInt8], identityB: [UInt8], additionalData: [UInt8]) throws(PairingError) {
        let passwordScalar = try group.scalar(bigEndian: password.bigEndian)
        let mask = try group.multiple(of: role == .partyA ? group.m : group.n, by: passwordScalar)
        outgoingShare = try group.encode(try group.sum(try group.generatorMultiple(secret), mask))
        self.role = role
        self.group = group
        self.password = password
        self.passwordScalar = passwordScalar
        self.identityA = identityA
        self.identityB = identityB
        self.additionalData = additionalData
        state = .awaitingPeerShare(secret: secret)
    }

    /// Takes the peer's share and returns this side's confirmation MAC (cA or cB) to send.
    ///
    /// Refuses a share that is malformed, off the curve or the identity, or one that cancels the
    /// password mask so that K would be the identity (section 7: an endpoint MUST abort if a
    /// received value is not a member of the group).
    public mutating func receivePeerShare(_ peerShare: [UInt8]) throws(PairingError) -> [UInt8] {
        guard case .awaitingPeerShare(let secret) = state else { throw refuseOutOfOrder("a peer share") }
        state = .failed  // until the schedule exists: any refusal below ends the exchange
        let schedule = try keySchedule(secret: secret, peerShare: peerShare)
        state = .awaitingPeerConfirmation(schedule)
        return role == .partyA ? schedule.confirmationA : schedule.confirmationB
    }

    /// Checks the peer's confirmation MAC, in constant time, and returns Ke, the 16-byte shared
    /// key, if it is the one the transcript gives. Otherwise the exchange has failed for good:
    /// the peer used another code, or someone in between changed a message.
    public mutating func receivePeerConfirmation(_ peerConfirmation: [UInt8]) throws(PairingError) -> [UInt8] {
        guard case .awaitingPeerConfirmation(let schedule) = state else {
            throw refuseOutOfOrder("a peer confirmation")
        }
        let expected = role == .partyA ? schedule.confirmationB : schedule.confirmationA
        guard Digests.constantTimeEqual(peerConfirmation, expected) else {
            state = .failed
            throw PairingError(.confirmationFailed, "the peer's confirmation does not match: another code, or a changed message")
        }
        state = .confirmed
        return schedule.sessionKey
    }

    /// The transcript and keys once the peer's share is in and before its confirmation is: for
    /// the RFC test vectors only (the transcript holds w, so it never leaves the package).
    package var keySchedule: KeySchedule? {
        guard case .awaitingPeerConfirmation(let schedule) = state else { return nil }
        return schedule
    }

    /// K = x·(pB − w·N) for A, y·(pA − w·M) for B (the cofactor of P-256 is 1), then the schedule.
    private func keySchedule(secret: BigNumber, peerShare: [UInt8]) throws(PairingError) -> KeySchedule {
        let peerPoint = try group.decodeShare(peerShare)
        let peerMask = try group.multiple(of: role == .partyA ? group.n : group.m, by: passwordScalar)
        let sharedPoint = try group.multiple(of: try group.difference(peerPoint, peerMask), by: secret)
        guard !group.isIdentity(sharedPoint) else {
            throw PairingError(.identityElement, "the peer's share is only the password mask: K would be the identity")
        }
        let (shareA, shareB) = role == .partyA ? (outgoingShare, peerShare) : (peerShare, outgoingShare)
        return try KeySchedule(identityA: identityA, identityB: identityB, shareA: shareA, shareB: shareB,
                               sharedElement: try group.encode(sharedPoint), password: password.bigEndian,
                               additionalData: additionalData)
    }

    /// Ends the exchange for a step that comes at the wrong time, and says why.
    private mutating func refuseOutOfOrder(_ step: String) -> PairingError {
        let reason = switch state {
        case .awaitingPeerShare: "the peer's share has not arrived yet"
        case .awaitingPeerConfirmation: "the peer's share was already received"
        case .confirmed: "this exchange is finished"
        case .failed: "this exchange has failed"
        }
        state = .failed
        return PairingError(.exchangeOver, "\(step) refused: \(reason); pairing again takes a new exchange")
    }
}
