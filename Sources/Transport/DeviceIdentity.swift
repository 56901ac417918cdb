import COpenSSL
import Foundation

/// This device's key pair and self-signed certificate, made on first use and kept in the store
/// directory: `device.key` (PEM, PKCS#8 Ed25519, mode 0600) and `device.crt` (PEM X.509, 0644).
///
/// The device id is the SHA-256 of the Ed25519 public key (`Certificate.deviceID(of:)`); it is
/// what peers put in their trust lists, and its first 16 bytes are the replica id of the store. The identity belongs to the device, the replica id to the store: both live in the
/// same directory, and neither is ever synced.
public final class DeviceIdentity: Sendable {
    public static let keyFileName = "device.key"
    public static let certificateFileName = "device.crt"

    public let id: DeviceID
    public let keyURL: URL
    public let certificateURL: URL
    /// Whether this call made the key and certificate (first use of the directory).
    public let wasCreated: Bool

    let key: PrivateKey
    let certificate: Certificate

    private init(key: PrivateKey, certificate: Certificate, keyURL: URL, certificateURL: URL, wasCreated: Bool) {
        self.key = key
        self.certificate = certificate
        self.id = certificate.deviceID
        self.keyURL = keyURL
        self.certificateURL = certificateURL
        self.wasCreated = wasCreated
    }

    /// The certificate in PEM, as `openssl x509` reads it.
    public var certificatePEM: String {
        (try? certificate.pem()).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Loads the identity kept in `directory`, making it first if there is none. The directory
    /// must exist (the store creates it, 0700). The key file is created 0600 and tightened to 0600
    /// if found looser.
    public static func loadOrCreate(in directory: URL) throws(TransportError) -> DeviceIdentity {
        let keyURL = directory.appendingPathComponent(keyFileName)
        let certificateURL = directory.appendingPathComponent(certificateFileName)
        let manager = FileManager.default
        var created = false
        let key: PrivateKey
        if manager.fileExists(atPath: keyURL.path) {
            _ = chmod(keyURL.path, 0o600)
            key = try PrivateKey.fromPEM(try readFile(keyURL))
        } else {
            key = try PrivateKey.generateEd25519()
            try writeFileAtomically(try key.pem(), to: keyURL, mode: 0o600)
            created = true
        }
        let certificate: Certificate
        if manager.fileExists(atPath: certificateURL.path) && !created {
            certificate = try Certificate.fromPEM(try readFile(certificateURL))
            guard X509_check_private_key(certificate.pointer, key.pointer) == 1 else {
                throw .openSSL("\(certificateURL.path) does not belong to the key in \(keyURL.path)", code: .identity)
            }
        } else {
            // A key without a certificate: made by an earlier first use that stopped in between.
            certificate = try Certificate.selfSigned(key: key)
            try writeFileAtomically(try certificate.pem(), to: certificateURL, mode: 0o644)
            created = true
        }
        return DeviceIdentity(key: key, certificate: certificate, keyURL: keyURL, certificateURL: certificateURL, wasCreated: created)
    }

    static func readFile(_ url: URL) throws(TransportError) -> [UInt8] {
        do { return [UInt8](try Data(contentsOf: url)) } catch {
            throw TransportError(.identity, "cannot read \(url.path): \(error.localizedDescription)")
        }
    }
}

/// Writes `bytes` to a temporary file created with `mode` beside `url`, flushes it, and renames it
/// over `url`, so a reader sees the old file or the new one and never a part.
func writeFileAtomically(_ bytes: [UInt8], to url: URL, mode: mode_t, code: TransportError.Code = .identity) throws(TransportError) {
    let temporary = url.path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, mode)
    guard descriptor >= 0 else {
        throw TransportError(code, "cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    _ = fchmod(descriptor, mode)
    var written = 0
    var failure: Int32 = 0
    bytes.withUnsafeBytes { buffer in
        while written < buffer.count {
            let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            if result < 0 { if errno == EINTR { continue }; failure = errno; return }
            written += result
        }
    }
    if failure == 0 && fsync(descriptor) != 0 { failure = errno }
    close(descriptor)
    if failure == 0 && rename(temporary, url.path) != 0 { failure = errno }
    if failure != 0 {
        unlink(temporary)
        throw TransportError(code, "cannot write \(url.path): \(String(cString: strerror(failure)))")
    }
}
