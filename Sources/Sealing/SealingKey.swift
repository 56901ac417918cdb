import COpenSSL

/// An X25519 private key (RFC 7748): what a union rep's device opens sealed evidence with.
///
/// A device's sealing key is made from its Ed25519 device key, as libsodium's
/// `crypto_sign_ed25519_sk_to_curve25519` does: the first half of SHA-512 of the seed. So a
/// member who has seen the rep's device key (its certificate, at a sync) knows where to seal,
/// and nothing more has to be stored, sent or announced.
// Sendable: the pointer never changes after init and the key is only read (each agreement
// makes its own context), which OpenSSL allows from any thread.
public final class SealingKey: @unchecked Sendable {
    private let pointer: OpaquePointer
    /// The raw 32-byte X25519 public key.
    public let publicKey: [UInt8]

    /// The key whose raw private bytes are `privateKey` (32 bytes; OpenSSL clamps them).
    public init(privateKey: [UInt8]) throws(SealingError) {
        (pointer, publicKey) = try RawKey.make(EVP_PKEY_X25519, "X25519", privateBytes: privateKey)
    }

    /// The X25519 key of the Ed25519 key with this seed.
    public convenience init(ed25519Seed seed: [UInt8]) throws(SealingError) {
        guard seed.count == 32 else { throw SealingError(.invalidInput, "an Ed25519 seed is 32 bytes, not \(seed.count)") }
        try self.init(privateKey: Array(Digests.sha512(seed).prefix(32)))
    }

    /// A fresh random key (an envelope's ephemeral key).
    public static func random() throws(SealingError) -> SealingKey {
        try SealingKey(privateKey: try Digests.random(32))
    }

    deinit { EVP_PKEY_free(pointer) }

    /// The shared secret with `peerPublicKey`; nil for a key that is malformed or of small order
    /// (the secret would be all zeros, known to anyone).
    public func agree(with peerPublicKey: [UInt8]) -> [UInt8]? {
        guard peerPublicKey.count == 32,
              let peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, peerPublicKey, 32) else { return nil }
        defer { EVP_PKEY_free(peer) }
        guard let context = EVP_PKEY_CTX_new(pointer, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var secret = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer(context, peer) == 1,
              EVP_PKEY_derive(context, &secret, &length) == 1, length == 32,
              secret.contains(where: { $0 != 0 }) else { return nil }
        return secret
    }

    /// The X25519 public key of an Ed25519 public key: the Montgomery u = (1 + y) / (1 − y) mod
    /// 2²⁵⁵ − 19 of its Edwards y (RFC 7748 4.1). Nil for bytes that are no point's y, and for a
    /// key of small order, which would give every sealer an all-zero secret.
    public static func publicKey(ofEd25519 edwards: [UInt8]) -> [UInt8]? {
        guard edwards.count == 32, let context = BN_CTX_new() else { return nil }
        defer { BN_CTX_free(context) }
        var littleEndian = edwards
        littleEndian[31] &= 0x7F  // the top bit is the sign of x
        guard let prime = BN_new(), let y = BN_lebin2bn(littleEndian, 32, nil),
              let numerator = BN_new(), let denominator = BN_new(), let one = BN_new(), let u = BN_new() else { return nil }
        defer { [prime, y, numerator, denominator, one, u].forEach { BN_free($0) } }
        guard BN_set_bit(prime, 255) == 1, BN_sub_word(prime, 19) == 1, BN_cmp(y, prime) < 0, BN_set_word(one, 1) == 1,
              BN_mod_add(numerator, one, y, prime, context) == 1, BN_mod_sub(denominator, one, y, prime, context) == 1,
              !BN_is_zero(denominator).isTrue,
              let inverse = BN_mod_inverse(nil, denominator, prime, context) else { return nil }
        defer { BN_free(inverse) }
        var output = [UInt8](repeating: 0, count: 32)
        guard BN_mod_mul(u, numerator, inverse, prime, context) == 1, BN_bn2lebinpad(u, &output, 32) == 32,
              (try? SealingKey.random())?.agree(with: output) != nil else { return nil }
        return output
    }
}

extension Int32 {
    fileprivate var isTrue: Bool { self != 0 }
}

/// An OpenSSL key from 32 raw private bytes, with its raw public key; the caller owns the pointer.
enum RawKey {
    static func make(_ type: Int32, _ name: String, privateBytes: [UInt8]) throws(SealingError) -> (OpaquePointer, [UInt8]) {
        guard privateBytes.count == 32 else { throw SealingError(.invalidInput, "an \(name) private key is 32 bytes, not \(privateBytes.count)") }
        guard let key = EVP_PKEY_new_raw_private_key(type, nil, privateBytes, 32) else {
            throw SealingError(.openSSL, "cannot make an \(name) key")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(key, &bytes, &length) == 1, length == 32 else {
            EVP_PKEY_free(key)
            throw SealingError(.openSSL, "cannot read an \(name) public key")
        }
        return (key, bytes)
    }
}
