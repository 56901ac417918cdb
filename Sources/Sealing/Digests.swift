import COpenSSL

/// Hashes, HMAC, HKDF and randomness: the few primitives sealing builds on.
public enum Digests {
    /// SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        fieldnote_sha256(bytes, bytes.count, &output)
        return output
    }

    /// SHA-512 of `bytes`: how an Ed25519 seed becomes its scalar (RFC 8032 5.1.5).
    public static func sha512(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 64
        _ = EVP_Digest(bytes, bytes.count, &output, &length, EVP_sha512(), nil)
        return output
    }

    /// HMAC-SHA-256 (RFC 2104).
    public static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        _ = key.withUnsafeBytes { keyBytes in
            HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(key.count), message, message.count, &output, &length)
        }
        return output
    }

    /// HKDF-SHA-256 (RFC 5869): `length` bytes (at most 255 × 32) from `secret`.
    public static func hkdf(secret: [UInt8], salt: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        precondition(length <= 255 * 32, "HKDF-SHA-256 gives at most 8160 bytes")
        let pseudorandomKey = hmacSHA256(key: salt.isEmpty ? [UInt8](repeating: 0, count: 32) : salt, secret)
        var output: [UInt8] = []
        var block: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < length {
            block = hmacSHA256(key: pseudorandomKey, block + info + [counter])
            output += block
            counter += 1
        }
        return Array(output.prefix(length))
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    public static func random(_ count: Int) throws(SealingError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count == 0 || RAND_bytes(&bytes, Int32(count)) == 1 else {
            throw SealingError(.openSSL, "the random number generator failed")
        }
        return bytes
    }

    /// Whether two byte strings are equal, in time that depends only on their length (public:
    /// a MAC's or a tag's length is fixed), never on where they first differ.
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.isEmpty || CRYPTO_memcmp(lhs, rhs, lhs.count) == 0
    }
}
