import COpenSSL
import Foundation

// Every OpenSSL handle lives in one final class below that frees it in deinit; none appears in a
// public signature.

/// An EVP_PKEY: the device's Ed25519 key pair.
// Sendable: the pointer never changes after init and the key is only read (signing and
// SSL_CTX_use_PrivateKey take their own references), which OpenSSL allows from any thread.
final class PrivateKey: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }

    /// A fresh Ed25519 key pair.
    static func generateEd25519() throws(TransportError) -> PrivateKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw .openSSL("cannot create a key generation context", code: .identity)
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer? = nil
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw .openSSL("cannot generate an Ed25519 key", code: .identity)
        }
        return PrivateKey(pointer: key)
    }

    static func fromPEM(_ pem: [UInt8]) throws(TransportError) -> PrivateKey {
        let key = pem.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { throw .openSSL("the device key file is not a PEM private key", code: .identity) }
        return PrivateKey(pointer: key)
    }

    func pem() throws(TransportError) -> [UInt8] {
        try MemoryBIO.collect("cannot write the device key") { bio in
            PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil)
        }
    }
}

/// An X509 certificate: this device's own, or one a peer presented.
// Sendable: the pointer never changes after init and the certificate is only read once
// built (encoding, fingerprinting), which OpenSSL allows from any thread.
final class Certificate: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer` (one reference).
    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { X509_free(pointer) }

    /// A self-signed certificate for `key`: subject and issuer `CN=fieldnote device`, a random
    /// 64-bit serial, valid from now for 20 years, signed with the key itself.
    static func selfSigned(key: PrivateKey) throws(TransportError) -> Certificate {
        guard let x509 = X509_new() else { throw .openSSL("cannot create a certificate", code: .identity) }
        let certificate = Certificate(owning: x509)
        var serial: UInt64 = 0
        withUnsafeMutableBytes(of: &serial) { _ = RAND_bytes($0.baseAddress!.assumingMemoryBound(to: UInt8.self), 8) }
        guard X509_set_version(x509, 2) == 1,
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial >> 1 | 1) == 1,
              X509_gmtime_adj(X509_getm_notBefore(x509), -60) != nil,
              X509_gmtime_adj(X509_getm_notAfter(x509), 20 * 365 * 24 * 3600) != nil,
              X509_set_pubkey(x509, key.pointer) == 1,
              let name = X509_get_subject_name(x509),
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "fieldnote device", -1, -1, 0) == 1,
              X509_set_issuer_name(x509, name) == 1,
              X509_sign(x509, key.pointer, nil) > 0
        else { throw .openSSL("cannot make the device certificate", code: .identity) }
        return certificate
    }

    static func fromPEM(_ pem: [UInt8]) throws(TransportError) -> Certificate {
        let x509 = pem.withUnsafeBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_X509(bio, nil, nil, nil)
        }
        guard let x509 else { throw .openSSL("the device certificate file is not a PEM certificate", code: .identity) }
        return Certificate(owning: x509)
    }

    func pem() throws(TransportError) -> [UInt8] {
        try MemoryBIO.collect("cannot write the device certificate") { bio in PEM_write_bio_X509(bio, pointer) }
    }

    /// The DER encoding.
    var der: [UInt8] {
        Certificate.der(of: pointer)
    }

    static func der(of x509: OpaquePointer) -> [UInt8] {
        let length = i2d_X509(x509, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_X509(x509, &cursor)
        }
        return bytes
    }

    var deviceID: DeviceID { Certificate.deviceID(of: pointer) }

    /// The SHA-256 of the certificate's key: of its 32 raw bytes for Ed25519 (every device's
    /// kind), so the device id's first 16 bytes are the replica id its ops carry; of its DER
    /// SubjectPublicKeyInfo for any other kind. The key, not the certificate: a device that
    /// renews its certificate keeps its id, and a peer that only sees an author's key (in a
    /// relayed checkpoint) knows which trusted device wrote the ops.
    static func deviceID(of x509: OpaquePointer) -> DeviceID {
        guard let key = X509_get0_pubkey(x509) else { return DeviceID(sha256: SHA256.hash(der(of: x509)))! }
        if let raw = DeviceIdentity.rawPublicKey(key) { return DeviceID(sha256: SHA256.hash(raw))! }
        let length = i2d_PUBKEY(key, nil)
        guard length > 0 else { return DeviceID(sha256: SHA256.hash(der(of: x509)))! }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_PUBKEY(key, &cursor)
        }
        return DeviceID(sha256: SHA256.hash(bytes))!
    }

    /// Whether `x509` names itself as issuer and its signature verifies with its own public key.
    static func isSelfSigned(_ x509: OpaquePointer) -> Bool {
        guard X509_check_issued(x509, x509) == X509_V_OK, let key = X509_get0_pubkey(x509) else { return false }
        return X509_verify(x509, key) == 1
    }
}

enum SHA256 {
    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1 && length == 32, "SHA-256 through OpenSSL failed")
        return Array(digest.prefix(32))
    }
}

/// Runs `write` against a memory BIO and returns what it wrote.
enum MemoryBIO {
    static func collect(_ what: String, _ write: (OpaquePointer) -> Int32) throws(TransportError) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL(what) }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw .openSSL(what, code: .identity) }
        let pending = Int(BIO_ctrl_pending(bio))
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = BIO_read(bio, &bytes, Int32(pending))
        guard read == pending else { throw .openSSL(what, code: .identity) }
        return bytes
    }
}
