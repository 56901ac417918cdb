import COpenSSL

/// An Ed25519 key made from a 32-byte seed (RFC 8032), so that a key can be derived again from
/// a secret instead of being stored: a reporter's key for one month, a record's own key.
// Sendable: the pointer never changes after init and the key is only read (signing makes its
// own context), which OpenSSL allows from any thread.
public final class SigningKey: @unchecked Sendable {
    private let pointer: OpaquePointer
    /// The raw 32-byte public key.
    public let publicKey: [UInt8]

    public init(seed: [UInt8]) throws(SealingError) {
        (pointer, publicKey) = try RawKey.make(EVP_PKEY_ED25519, "Ed25519", privateBytes: seed)
    }

    deinit { EVP_PKEY_free(pointer) }

    /// A 64-byte signature of `message`.
    public func sign(_ message: [UInt8]) throws(SealingError) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        guard let context = EVP_MD_CTX_new() else { throw SealingError(.openSSL, "cannot create a signing context") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, pointer) == 1,
              EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64 else {
            throw SealingError(.openSSL, "cannot sign")
        }
        return signature
    }

    /// Whether `signature` is `publicKey`'s signature of `message`; false for any malformed input.
    public static func verify(signature: [UInt8], of message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard publicKey.count == 32, signature.count == 64,
              let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, publicKey, 32) else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        return EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1
            && EVP_DigestVerify(context, signature, 64, message, message.count) == 1
    }
}
