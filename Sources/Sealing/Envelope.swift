import COpenSSL

/// Bytes sealed so that only the holders of some X25519 keys can read them, without saying whose.
///
/// Layout (Protocol.md 3.2): version `0x01`, a slot count, the slots, then the content sealed
/// with AES-256-GCM under a fresh content key (nonce zero: each key seals once; 16-byte tag).
/// A slot is an ephemeral X25519 public key (32 bytes) and the content key sealed under
/// HKDF-SHA-256(X25519(ephemeral, recipient), salt: ephemeral ‖ recipient, info: "fieldnote
/// seal slot 1") — 48 bytes. A slot names no recipient: a reader tries each. The slot count is
/// padded to a multiple of `slotGranularity` with slots that look like real ones (a real X25519
/// public key, then random bytes: random bytes alone are told apart from a key, since a key's
/// top bit is clear), and slots are shuffled, so the number and order of recipients say
/// nothing until more than 7 recipients. `binding` (the record's author
/// id) is authenticated with the content and every slot, so an envelope copied into another
/// record opens for nobody.
public enum Envelope {
    public static let version: UInt8 = 1
    public static let slotBytes = 80
    public static let slotGranularity = 8
    public static let maximumSlots = 64

    /// Seals `content` for every key in `recipients` (raw X25519 public keys).
    public static func seal(_ content: [UInt8], for recipients: [[UInt8]], binding: [UInt8]) throws(SealingError) -> [UInt8] {
        guard !recipients.isEmpty, recipients.count <= maximumSlots else {
            throw SealingError(.invalidInput, "an envelope has 1–\(maximumSlots) recipients, not \(recipients.count)")
        }
        let contentKey = try Digests.random(32)
        var slots: [[UInt8]] = []
        for recipient in recipients {
            let ephemeral = try SealingKey.random()
            guard let shared = ephemeral.agree(with: recipient) else {
                throw SealingError(.invalidInput, "a recipient's key is not a usable X25519 key")
            }
            let slotKey = Digests.hkdf(secret: shared, salt: ephemeral.publicKey + recipient, info: Array("fieldnote seal slot 1".utf8), length: 32)
            slots.append(ephemeral.publicKey + (try AESGCM.seal(contentKey, key: slotKey, aad: binding)))
        }
        while slots.count % slotGranularity != 0 { slots.append(try SealingKey.random().publicKey + Digests.random(slotBytes - 32)) }
        slots.shuffle()
        var bytes: [UInt8] = [version, UInt8(slots.count)]
        for slot in slots { bytes += slot }
        bytes += try AESGCM.seal(content, key: contentKey, aad: [version] + binding)
        return bytes
    }

    /// The content, when one of the slots opens with `key`; nil otherwise (not for this key,
    /// altered, bound to another record, or malformed).
    public static func open(_ bytes: [UInt8], with key: SealingKey, binding: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2, bytes[0] == version else { return nil }
        let count = Int(bytes[1])
        let contentStart = 2 + count * slotBytes
        guard count > 0, count <= maximumSlots, count % slotGranularity == 0, bytes.count >= contentStart + AESGCM.tagBytes else { return nil }
        for index in 0..<count {
            let slot = Array(bytes[2 + index * slotBytes ..< 2 + (index + 1) * slotBytes])
            let ephemeral = Array(slot.prefix(32))
            guard let shared = key.agree(with: ephemeral) else { continue }
            let slotKey = Digests.hkdf(secret: shared, salt: ephemeral + key.publicKey, info: Array("fieldnote seal slot 1".utf8), length: 32)
            guard let contentKey = AESGCM.open(Array(slot.dropFirst(32)), key: slotKey, aad: binding), contentKey.count == 32 else { continue }
            return AESGCM.open(Array(bytes[contentStart...]), key: contentKey, aad: [version] + binding)
        }
        return nil
    }
}

/// AES-256-GCM with a zero nonce, for keys that seal exactly once (an envelope's content key, a
/// pairing message's key): the caller makes a new key for every message.
public enum AESGCM {
    public static let tagBytes = 16

    public static func seal(_ plaintext: [UInt8], key: [UInt8], aad: [UInt8]) throws(SealingError) -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else { throw SealingError(.openSSL, "cannot create a cipher context") }
        defer { EVP_CIPHER_CTX_free(context) }
        let nonce = [UInt8](repeating: 0, count: 12)
        var output = [UInt8](repeating: 0, count: plaintext.count + tagBytes)
        var length: Int32 = 0
        var tag = [UInt8](repeating: 0, count: tagBytes)
        guard EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              aad.isEmpty || EVP_EncryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1,
              plaintext.isEmpty || EVP_EncryptUpdate(context, &output, &length, plaintext, Int32(plaintext.count)) == 1,
              EVP_EncryptFinal_ex(context, &output[plaintext.count], &length) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tagBytes), &tag) == 1
        else { throw SealingError(.openSSL, "AES-256-GCM sealing failed") }
        return Array(output.prefix(plaintext.count)) + tag
    }

    public static func open(_ sealed: [UInt8], key: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard sealed.count >= tagBytes, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        let nonce = [UInt8](repeating: 0, count: 12)
        let ciphertext = Array(sealed.dropLast(tagBytes))
        var tag = Array(sealed.suffix(tagBytes))
        var output = [UInt8](repeating: 0, count: ciphertext.count + tagBytes)
        var length: Int32 = 0
        guard EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              aad.isEmpty || EVP_DecryptUpdate(context, nil, &length, aad, Int32(aad.count)) == 1,
              ciphertext.isEmpty || EVP_DecryptUpdate(context, &output, &length, ciphertext, Int32(ciphertext.count)) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tagBytes), &tag) == 1,
              EVP_DecryptFinal_ex(context, &output[ciphertext.count], &length) == 1
        else { return nil }
        return Array(output.prefix(ciphertext.count))
    }
}
