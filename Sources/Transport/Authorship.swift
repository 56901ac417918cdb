import COpenSSL
import Foundation
import Sealing
import Storage
import SyncCore

/// SHA-256 of op digests and chain links, through OpenSSL's low-level SHA-256 (`fieldnote_sha256`):
/// the chain of every received op is hashed here, with no allocation and no algorithm lookup per op.
// Not Sendable: one session's thread owns it.
final class ChainHasher {
    private var writer = ByteWriter(capacity: 256)
    /// The chain value (bytes 0–31) followed by the op digest being chained (32–63).
    private var link = [UInt8](repeating: 0, count: 64)

    static let zero = [UInt8](repeating: 0, count: 32)

    /// SHA-256 of `bytes`.
    func sha256(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
        fieldnote_sha256(bytes.baseAddress, bytes.count, output)
    }

    /// The digest an op contributes to its author's chain: SHA-256 of its authored bytes.
    func digest(of op: Op) -> [UInt8] {
        writer.reset()
        OpCodec.writeAuthored(op, to: &writer)
        var output = [UInt8](repeating: 0, count: 32)
        writer.bytes.withUnsafeBytes { bytes in output.withUnsafeMutableBufferPointer { sha256(bytes, into: $0.baseAddress!) } }
        return output
    }

    /// Chains `op` after `chain`: SHA-256(chain ‖ SHA-256(authored bytes of op)). Not for an
    /// erased op, whose digest comes from the store or the proof (`chain(_:digest:)`).
    func chain(_ chain: inout [UInt8], _ op: Op) {
        writer.reset()
        OpCodec.writeAuthored(op, to: &writer)
        link.withUnsafeMutableBufferPointer { link in
            writer.bytes.withUnsafeBytes { sha256($0, into: link.baseAddress! + 32) }
        }
        close(&chain)
    }

    /// Chains an op known only by its digest (a proof's tail, an erased op).
    func chain(_ chain: inout [UInt8], digest: ArraySlice<UInt8>) {
        precondition(digest.count == 32, "a digest is 32 bytes")
        link.withUnsafeMutableBufferPointer { link in
            digest.withUnsafeBufferPointer { link.baseAddress!.advanced(by: 32).update(from: $0.baseAddress!, count: 32) }
        }
        close(&chain)
    }

    /// chain = SHA-256(chain ‖ the digest in the link's second half).
    private func close(_ chain: inout [UInt8]) {
        link.withUnsafeMutableBufferPointer { link in
            chain.withUnsafeMutableBufferPointer { chain in
                link.baseAddress!.update(from: chain.baseAddress!, count: 32)
                fieldnote_sha256(link.baseAddress, 64, chain.baseAddress!)
            }
        }
    }
}

/// Checking authors' checkpoints (the signed bytes are `AuthorCheckpoint.signedBytes`).
enum CheckpointMessage {
    /// The replica a public key speaks for: the first 16 bytes of its SHA-256.
    static func replica(of publicKey: [UInt8]) -> ReplicaID {
        ReplicaID(bytes: SHA256.hash(publicKey).prefix(16))!
    }

    /// Whether `checkpoint` is signed by the key its replica id names.
    static func verify(_ checkpoint: AuthorCheckpoint) -> Bool {
        guard checkpoint.publicKey.count == 32, checkpoint.hash.count == 32, replica(of: checkpoint.publicKey) == checkpoint.replica else {
            return false
        }
        let message = AuthorCheckpoint.signedBytes(space: checkpoint.space, replica: checkpoint.replica, seq: checkpoint.seq, hash: checkpoint.hash)
        return SigningKey.verify(signature: checkpoint.signature, of: message, publicKey: checkpoint.publicKey)
    }
}

extension Certificate {
    /// The replica id the certificate's Ed25519 key speaks for; nil for another kind of key.
    static func replica(of x509: OpaquePointer) -> ReplicaID? {
        guard let key = X509_get0_pubkey(x509), let bytes = DeviceIdentity.rawPublicKey(key) else { return nil }
        return CheckpointMessage.replica(of: bytes)
    }
}

extension DeviceIdentity {
    /// The raw 32-byte Ed25519 public key.
    public var publicKey: [UInt8] { Self.rawPublicKey(key.pointer) ?? [] }

    static func rawPublicKey(_ key: OpaquePointer) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(key, &bytes, &length) == 1, length == 32 else { return nil }
        return bytes
    }

    /// The replica id this device's key speaks for: a store this device writes must have it
    /// (Protocol.md 2.8), so peers can tell its ops from anyone else's.
    public var replica: ReplicaID { CheckpointMessage.replica(of: publicKey) }

    /// The X25519 key this device opens evidence sealed to it with: made from its Ed25519 key,
    /// so a member who has seen this device's key at a sync can seal to it (`SealingKey`).
    public var sealingKey: SealingKey? {
        var seed = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_private_key(key.pointer, &seed, &length) == 1, length == 32 else { return nil }
        return try? SealingKey(ed25519Seed: seed)
    }

    /// Signs the checkpoint of `seq` whose chain value is `hash`.
    func checkpoint(space: SpaceID, seq: UInt64, hash: [UInt8]) throws(TransportError) -> AuthorCheckpoint {
        let message = AuthorCheckpoint.signedBytes(space: space, replica: replica, seq: seq, hash: hash)
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("cannot create a signing context") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1,
              EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64 else {
            throw .openSSL("cannot sign a checkpoint")
        }
        return AuthorCheckpoint(space: space, replica: replica, seq: seq, hash: hash, publicKey: publicKey, signature: signature)
    }
}
