/// w: the shared code as a scalar of P-256, derived the same way on both devices.
///
/// RFC 9382 section 3.2 leaves the derivation to the protocol using SPAKE2 and asks for
/// w = MHF(pw) mod p, p the group order, with a memory-hard function, from a hash 64 bits longer
/// than p so that the reduction adds no bias worth the name (NIST SP 800-56A r3). Here:
///
///     w = scrypt(code, salt, N = 2^15, r = 8, parallelism 1, 40 bytes) mod p
///
/// - scrypt, because it is the MHF the RFC names (RFC 7914) and OpenSSL 3 has it.
/// - 40 bytes = 32 + 8: the 64 extra bits the RFC cites.
/// - N = 2^15, r = 8: 32 MiB of memory and about 0.1 s on a current server core, once per
///   pairing. The exchange gives an attacker one online guess per run and no offline test; the
///   MHF matters if w is ever read out of a device's memory, where it slows the search for the
///   short code behind it. Much higher costs would make pairing slow on old laptops for little gain.
/// - The salt separates this use of the code from any other; `pairingSalt` is the default.
///
/// The caller normalizes the code first (RFC 8265 asks for that): both devices must hash the
/// very same bytes, whatever a user typed or said.
public struct PasswordScalar: Sendable {
    /// The salt for fieldnote pairing: names the protocol and ciphersuite, so that the same code
    /// used anywhere else gives an unrelated w.
    public static let pairingSalt = Array("fieldnote pair SPAKE2-P256-SHA256-HKDF-HMAC v1".utf8)

    /// The cost of scrypt that `init(code:salt:)` uses; see the type's comment for why.
    package static let pairingCost = ScryptCost(blockCount: 1 << 15, blockSize: 8, parallelism: 1)

    /// Bytes scrypt gives: a scalar's 32 and 8 more, so that reducing mod p is close to uniform.
    private static let derivedWidth = P256Group.scalarWidth + 8

    /// w, reduced mod p, as 32 big-endian bytes: the form it takes in the transcript.
    package let bigEndian: [UInt8]

    /// w for the normalized `code` that both users share.
    public init(code: [UInt8], salt: [UInt8] = pairingSalt) throws(PairingError) {
        try self.init(code: code, salt: salt, cost: Self.pairingCost)
    }

    /// w for `code` at another scrypt cost (tests use a cheap one).
    package init(code: [UInt8], salt: [UInt8], cost: ScryptCost) throws(PairingError) {
        let group = try P256Group()
        let derived = try SymmetricPrimitives.scrypt(password: code, salt: salt, cost: cost, length: Self.derivedWidth)
        let reduced = try group.reduced(bigEndian: derived)
        guard !reduced.isZero else { throw PairingError(.invalidScalar, "the code gave w = 0; pick another code") }
        bigEndian = try reduced.bigEndian(width: P256Group.scalarWidth)
    }

    /// w given directly, as RFC 9382's test vectors give it: 32 big-endian bytes in 1 ..< p.
    package init(bigEndian: [UInt8]) throws(PairingError) {
        _ = try P256Group().scalar(bigEndian: bigEndian)
        self.bigEndian = bigEndian
    }
}
