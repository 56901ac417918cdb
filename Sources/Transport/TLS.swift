import COpenSSL
import Foundation
import SyncCore

/// An SSL_CTX for one role, holding this device's certificate and key, TLS 1.3 only, and
/// requiring the peer's certificate. Shared by every connection of a server or a client.
///
/// Sendable: configured completely in init and never changed after; OpenSSL allows one SSL_CTX
/// to create SSL objects on many threads at once.
final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer
    let isServer: Bool

    init(identity: DeviceIdentity, isServer: Bool) throws(TransportError) {
        OpenSSLErrors.clear()
        guard let method = isServer ? TLS_server_method() : TLS_client_method(),
              let context = SSL_CTX_new(method) else { throw .openSSL("cannot create a TLS context") }
        pointer = context
        self.isServer = isServer
        guard fieldnote_SSL_CTX_set_min_proto_version(context, fieldnote_TLS1_3_VERSION()) == 1,
              fieldnote_SSL_CTX_set_max_proto_version(context, fieldnote_TLS1_3_VERSION()) == 1,
              SSL_CTX_use_certificate(context, identity.certificate.pointer) == 1,
              SSL_CTX_use_PrivateKey(context, identity.key.pointer) == 1,
              SSL_CTX_check_private_key(context) == 1
        else { throw .openSSL("cannot configure TLS with the device certificate") }
        // Both sides present a certificate and both insist on the other's.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        // Replaces chain building: the only certificates accepted are trusted self-signed ones.
        SSL_CTX_set_cert_verify_callback(context, verifyPeerCertificate, nil)
        // No resumption: every connection authenticates in full against the trust list of the moment.
        _ = SSL_CTX_set_num_tickets(context, 0)
    }

    deinit { SSL_CTX_free(pointer) }
}

/// Decides whether a peer's certificate is accepted; nil to accept, else the reason to refuse.
typealias PeerCheck = @Sendable (DeviceID) -> String?

/// Called by OpenSSL in the handshake with the peer's certificate. Accepts only a self-signed
/// certificate (issuer = subject, signature valid under its own key) whose SHA-256 the
/// connection's check accepts (in the trust list, not this device).
private let verifyPeerCertificate: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { storeContext, _ in
    guard let storeContext,
          let ssl = X509_STORE_CTX_get_ex_data(storeContext, SSL_get_ex_data_X509_STORE_CTX_idx()),
          let streamPointer = SSL_get_ex_data(OpaquePointer(ssl), 0) else { return 0 }
    let stream = Unmanaged<TLSStream>.fromOpaque(streamPointer).takeUnretainedValue()
    guard let certificate = X509_STORE_CTX_get0_cert(storeContext) else {
        stream.refusal = "the peer presented no certificate"
        return 0
    }
    guard Certificate.isSelfSigned(certificate) else {
        stream.refusal = "the peer's certificate is not self-signed"
        X509_STORE_CTX_set_error(storeContext, X509_V_ERR_CERT_REJECTED)
        return 0
    }
    let device = Certificate.deviceID(of: certificate)
    stream.peerID = device
    stream.peerReplica = Certificate.replica(of: certificate)
    stream.peerPublicKey = X509_get0_pubkey(certificate).flatMap(DeviceIdentity.rawPublicKey)
    if let refusal = stream.check(device) {
        stream.refusal = refusal
        X509_STORE_CTX_set_error(storeContext, X509_V_ERR_CERT_REJECTED)
        return 0
    }
    return 1
}

/// One TLS connection over a blocking socket it owns (SSL_set_fd). Used by one thread at a time;
/// only `cut()` may be called from another thread.
///
/// Sendable: its owning session thread is the only one that reads, writes or sets `peerID`;
/// `cut()`, the one cross-thread call, touches only `closed` under `closeLock` and shuts the
/// socket down, which is safe while another thread is blocked on it.
final class TLSStream: @unchecked Sendable {
    let ssl: OpaquePointer
    private let descriptor: Int32
    private let closeLock = NSLock()
    private var closed = false
    let check: PeerCheck
    /// The peer's device id, known once its certificate has been seen.
    fileprivate(set) var peerID: DeviceID?
    /// The replica id the peer's key speaks for (Protocol.md 2.8): its HELLO must carry it.
    fileprivate(set) var peerReplica: ReplicaID?
    /// The peer's raw Ed25519 public key, which the trust list keeps (a rep's is sealed to).
    fileprivate(set) var peerPublicKey: [UInt8]?
    /// Why this side refused the peer's certificate, if it did.
    fileprivate(set) var refusal: String?
    let peerAddress: String
    /// Application bytes read and written (TLS plaintext), for summaries and fault injection.
    private(set) var bytesRead = 0
    private(set) var bytesWritten = 0

    init(context: TLSContext, descriptor: Int32, check: @escaping PeerCheck) throws(TransportError) {
        guard let ssl = SSL_new(context.pointer) else {
            Glibc.close(descriptor)
            throw .openSSL("cannot create a TLS connection")
        }
        self.ssl = ssl
        self.descriptor = descriptor
        self.check = check
        self.peerAddress = Sockets.peerName(descriptor)
        // Both ends, accepted connections too: a flight of small frames (HELLO, ACKs, DONE)
        // written while the peer's TCP acknowledgement is delayed would otherwise wait 40 ms.
        Sockets.setNoDelay(descriptor)
        guard SSL_set_fd(ssl, descriptor) == 1 else { throw .openSSL("cannot attach the socket to TLS") }
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        SSL_free(ssl)
        closeLock.lock()
        if !closed { Glibc.close(descriptor) }
        closed = true
        closeLock.unlock()
    }

    func setTimeouts(_ timeout: Duration) { Sockets.setTimeouts(descriptor, timeout) }

    /// Runs the TLS handshake. On success the peer's certificate has passed `check`.
    func handshake() throws(TransportError) {
        OpenSSLErrors.clear()
        let isServer = SSL_is_server(ssl) == 1
        let result = isServer ? SSL_accept(ssl) : SSL_connect(ssl)
        guard result == 1 else {
            let error = failure(result, during: "the TLS handshake")
            if let refusal {
                throw TransportError(.notTrusted, "TLS handshake with \(peerAddress) refused: \(refusal)")
            }
            throw TransportError(error.code == .timedOut ? .timedOut : .handshakeFailed,
                                 "TLS handshake with \(peerAddress) failed: \(error.message)")
        }
        guard peerID != nil, let version = SSL_get_version(ssl), String(cString: version) == "TLSv1.3" else {
            throw TransportError(.handshakeFailed, "TLS handshake with \(peerAddress) did not authenticate the peer over TLS 1.3")
        }
    }

    /// Whether the peer has started to send something not read yet: bytes TLS has decrypted
    /// and holds, or bytes on the socket. (They may be only the start of a record or a frame.)
    var hasPendingInput: Bool { SSL_pending(ssl) > 0 || Sockets.isReadable(descriptor) }

    /// Reads exactly `count` bytes into `buffer` starting at `offset`.
    func read(into buffer: inout [UInt8], at offset: Int, count: Int) throws(TransportError) {
        var done = 0
        while done < count {
            OpenSSLErrors.clear()
            let result = buffer.withUnsafeMutableBytes { raw in
                SSL_read(ssl, raw.baseAddress! + offset + done, Int32(min(count - done, 1 << 30)))
            }
            guard result > 0 else { throw failure(result, during: "reading") }
            done += Int(result)
            bytesRead += Int(result)
        }
    }

    func write(_ bytes: [UInt8]) throws(TransportError) {
        guard !bytes.isEmpty else { return }
        OpenSSLErrors.clear()
        let result = bytes.withUnsafeBytes { raw in SSL_write(ssl, raw.baseAddress!, Int32(raw.count)) }
        guard result > 0 else { throw failure(result, during: "writing") }
        bytesWritten += Int(result)
    }

    /// Sends close_notify (best effort) and closes the socket.
    func close() {
        if !isCut { OpenSSLErrors.clear(); _ = SSL_shutdown(ssl) }
        closeLock.lock()
        defer { closeLock.unlock() }
        if !closed { Glibc.close(descriptor); closed = true }
    }

    /// Shuts the socket down in both directions without closing it: a read or write blocked in
    /// another thread returns at once with an error. Safe from any thread.
    func cut() {
        closeLock.lock()
        defer { closeLock.unlock() }
        if !closed { isCutFlag = true; shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private var isCutFlag = false
    private var isCut: Bool { closeLock.lock(); defer { closeLock.unlock() }; return isCutFlag }

    /// Turns a failed SSL call into an error naming what broke.
    private func failure(_ result: Int32, during what: String) -> TransportError {
        let saved = errno
        let code = SSL_get_error(ssl, result)
        let queue = OpenSSLErrors.drain()
        switch code {
        case SSL_ERROR_ZERO_RETURN:
            return TransportError(.connectionLost, "\(peerAddress) closed the connection while \(what)")
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return TransportError(.timedOut, "\(peerAddress) did not answer in time while \(what)")
        case SSL_ERROR_SYSCALL:
            if saved == EAGAIN || saved == EWOULDBLOCK {
                return TransportError(.timedOut, "\(peerAddress) did not answer in time while \(what)")
            }
            let reason = queue.isEmpty ? (saved == 0 ? "the connection closed" : Sockets.errorText(saved)) : queue
            return TransportError(.connectionLost, "connection to \(peerAddress) lost while \(what): \(reason)")
        default:
            let isAlert = queue.contains("alert")
            return TransportError(isAlert ? .handshakeFailed : .connectionLost,
                                  "TLS error with \(peerAddress) while \(what): \(queue.isEmpty ? "code \(code)" : queue)")
        }
    }
}
