import COpenSSL

/// The memory-hard function of the ciphersuite SPAKE2-P256-SHA256-HKDF-HMAC (RFC 9382 section 6):
/// scrypt, through OpenSSL. Its hash, KDF and MAC are the ones evidence sealing uses (`Digests`).
enum SymmetricPrimitives {
    /// Bytes of a SHA-256 digest; Ke and Ka are half of one each.
    static let digestWidth = 32

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
