import COpenSSL

/// The hash, KDF, MAC and MHF of the ciphersuite SPAKE2-P256-SHA256-HKDF-HMAC (RFC 9382 section
/// 6), with scrypt as the memory-hard function, all through OpenSSL.
enum SymmetricPrimitives {
    /// Bytes of a SHA-256 digest; Ke and Ka are half of one each.
    static let digestWidth = 32

    /// SHA-256 (RFC 6234).
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestWidth)
        fieldnote_sha256(bytes, bytes.count, &digest)
        return digest
    }

    /// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) throws(PairingError) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: digestWidth)
        var tagLength = 0
        let made = EVP_Q_mac(nil, "HMAC", nil, "SHA256", nil, key, key.count, message, message.count,
                             &tag, tag.count, &tagLength)
        guard made != nil, tagLength == digestWidth else { throw PairingError(.openSSL, "HMAC-SHA-256 failed") }
        return tag
    }

    /// HKDF-SHA-256 (RFC 5869), extract then expand, with no salt (which HKDF reads as a string of
    /// zeros): `length` bytes from `key` and `info`.
    static func hkdfSHA256(key: [UInt8], info: [UInt8], length: Int) throws(PairingError) -> [UInt8] {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nil) else {
            throw PairingError(.openSSL, "EVP_PKEY_CTX_new_id(HKDF) failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: length)
        var outputLength = length
        guard EVP_PKEY_derive_init(context) == 1,
              EVP_PKEY_CTX_set_hkdf_md(context, EVP_sha256()) == 1,
              EVP_PKEY_CTX_set1_hkdf_key(context, key, Int32(key.count)) == 1,
              EVP_PKEY_CTX_add1_hkdf_info(context, info, Int32(info.count)) == 1,
              EVP_PKEY_derive(context, &output, &outputLength) == 1, outputLength == length else {
            throw PairingError(.openSSL, "HKDF-SHA-256 failed")
        }
        return output
    }

    /// Whether `received` equals `expected`, in time that depends on their lengths only (public:
    /// a MAC's length is fixed by the ciphersuite), never on where they first differ.
    static func constantTimeEqual(_ received: [UInt8], _ expected: [UInt8]) -> Bool {
        guard received.count == expected.count else { return false }
        return CRYPTO_memcmp(received, expected, expected.count) == 0
    }

    /// scrypt (RFC 7914): `length` bytes from `password` and `salt` at the given cost.
    static func scrypt(password: [UInt8], salt: [UInt8], cost: ScryptCost, length: Int) throws(PairingError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let made = password.withUnsafeBufferPointer { passwordBytes in
            passwordBytes.withMemoryRebound(to: CChar.self) { passwordCharacters in
                EVP_PBE_scrypt(passwordCharacters.baseAddress, passwordCharacters.count, salt, salt.count,
                               cost.blockCount, cost.blockSize, cost.parallelism, cost.memoryLimit, &output, length)
            }
        }
        guard made == 1 else { throw PairingError(.openSSL, "scrypt failed (is the memory limit too low for the cost?)") }
        return output
    }
}

/// scrypt's cost parameters (RFC 7914 section 2).
package struct ScryptCost: Sendable, Hashable {
    /// N: how many blocks the memory holds; a power of two.
    package let blockCount: UInt64
    /// r: the block size factor (a block is 128·r bytes).
    package let blockSize: UInt64
    /// p: how many independent lanes run.
    package let parallelism: UInt64

    package init(blockCount: UInt64, blockSize: UInt64, parallelism: UInt64) {
        self.blockCount = blockCount
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// The memory scrypt needs, 128·r·(N + p + 2) bytes, with room to spare: OpenSSL refuses to run
    /// past the limit it is given, and its default (32 MiB) is just below what N = 2¹⁵, r = 8 needs.
    var memoryLimit: UInt64 { 2 * 128 * blockSize * (blockCount + parallelism + 2) }
}
