import SyncCore

/// Constants of the sync protocol (Protocol.md section 2).
public enum SyncProtocol {
    /// The protocol versions this implementation speaks: only 6, whose batches (format 3) carry
    /// the `pred` of register writes and prove their ops with their authors' signatures
    /// (Protocol.md 2.8), whose HELLO carries where each replica's chain stands and, between
    /// one person's devices, the secret they share (2.2), whose entity ids are bound to their
    /// `create` (1.10), and whose evidence records are sealed (3); an earlier peer could not take
    /// part in any of it.
    public static let minVersion: UInt64 = 6
    public static let maxVersion: UInt64 = 6
    /// From this version on a sender may have `batchWindow` batches unacknowledged (Protocol.md
    /// 2.4): the receiver applies one while the next is read from the log, encoded and sent.
    public static let windowedVersion: UInt64 = 3
    /// Unacknowledged batches a sender may have in flight from `windowedVersion` on.
    public static let batchWindow = 4
    /// The largest frame any peer may send or must accept: 8 MiB of type and body.
    public static let maxFrameBytes = 8 << 20
    /// The smallest receive limit a peer may announce in HELLO.
    public static let minFrameBytes = 64 << 10
}

/// Message types: the byte after a frame's length.
enum MessageType: UInt8 {
    case hello = 0x01
    case batch = 0x02
    case ack = 0x03
    case done = 0x04
    case error = 0x05
}

struct Frame {
    var type: UInt8
    var body: [UInt8]

    /// The length a frame's 4-byte big-endian prefix announces (type byte and body), checked
    /// against `limit` before anything is allocated for it.
    static func bodyLength(_ header: [UInt8], limit: Int) throws(TransportError) -> Int {
        let length = header.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length <= limit else {
            throw TransportError(.frameTooLarge, "a frame of \(length) bytes exceeds the limit of \(limit)")
        }
        guard length >= 1 else { throw TransportError(.malformed, "an empty frame") }
        return length
    }
}

struct HelloSpace: Equatable {
    var space: SpaceID
    /// Whether the sender of the HELLO applies the receiver's ops in this space (read-write grant).
    var accepts: Bool
    var vector: VersionVector
    /// The chain value (Protocol.md 2.8) at the vector's seq of each replica where the sender
    /// holds it: two devices that hold equally many ops of a replica compare them by it.
    var heads: [ReplicaID: [UInt8]] = [:]
}

struct Hello: Equatable {
    var minVersion: UInt64
    var maxVersion: UInt64
    var replica: ReplicaID
    var maxFrameBytes: UInt64
    var spaces: [HelloSpace]
    /// The secret one person's devices share (Protocol.md 3.3), sent only to a device the
    /// sender marks as the same person's (`peers add --mine`).
    var person: [UInt8]? = nil
    /// The Ed25519 keys of the devices the sender marks as union reps (Protocol.md 2.2): a
    /// member who marked the same device learns where to seal evidence without ever syncing with
    /// it. Each key proves itself: its SHA-256 is the device id the member typed.
    var reps: [[UInt8]] = []

    /// The most rep keys one HELLO carries.
    static let maximumReps = 64

    func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.varint(minVersion)
        writer.varint(maxVersion)
        writer.raw(replica.bytes)
        writer.varint(maxFrameBytes)
        writer.varint(spaces.count)
        for entry in spaces {
            writer.string(entry.space.name)
            writer.byte(entry.accepts ? 1 : 0)
            let sorted = entry.vector.entries.sorted { $0.key < $1.key }
            writer.varint(sorted.count)
            for (replica, seq) in sorted {
                writer.raw(replica.bytes)
                writer.varint(seq)
                if let head = entry.heads[replica] {
                    writer.byte(1)
                    writer.raw(head)
                } else {
                    writer.byte(0)
                }
            }
        }
        if let person {
            writer.byte(1)
            writer.raw(person)
        } else {
            writer.byte(0)
        }
        writer.varint(reps.count)
        for key in reps { writer.raw(key) }
        return writer.bytes
    }

    static func decode(_ body: [UInt8]) throws(TransportError) -> Hello {
        var reader = ByteReader(body)
        do {
            let minVersion = try reader.varint()
            let maxVersion = try reader.varint()
            guard let replica = ReplicaID(bytes: try reader.raw(16)) else { throw malformed("replica id") }
            let maxFrame = try reader.varint()
            let count = try reader.count(limit: 1024)
            var spaces: [HelloSpace] = []
            var seen = Set<SpaceID>()
            for _ in 0..<count {
                let name = try reader.string()
                guard let space = try? SpaceID(name), seen.insert(space).inserted else { throw malformed("space name \"\(name)\"") }
                let flag = try reader.byte()
                guard flag <= 1 else { throw malformed("access flag \(flag)") }
                let entries = try reader.count(limit: reader.remaining / 18)
                var vector: [ReplicaID: UInt64] = [:]
                var heads: [ReplicaID: [UInt8]] = [:]
                for _ in 0..<entries {
                    guard let replica = ReplicaID(bytes: try reader.raw(16)) else { throw malformed("replica id") }
                    let seq = try reader.varint()
                    guard vector.updateValue(seq, forKey: replica) == nil else { throw malformed("a replica twice in a vector") }
                    switch try reader.byte() {
                    case 0: break
                    case 1: heads[replica] = Array(try reader.raw(32))
                    case let other: throw malformed("chain head flag \(other)")
                    }
                }
                spaces.append(HelloSpace(space: space, accepts: flag == 1, vector: VersionVector(vector), heads: heads))
            }
            var person: [UInt8]? = nil
            switch try reader.byte() {
            case 0: break
            case 1:
                person = Array(try reader.raw(32))
                // No device makes a secret of one repeated byte; anyone could guess it.
                guard Set(person!).count > 1 else { throw malformed("person secret") }
            case let other: throw malformed("person flag \(other)")
            }
            let repCount = try reader.count(limit: min(maximumReps, reader.remaining / 32))
            var reps: [[UInt8]] = []
            for _ in 0..<repCount { reps.append(Array(try reader.raw(32))) }
            guard reader.isAtEnd else { throw malformed("bytes after the rep keys") }
            return Hello(minVersion: minVersion, maxVersion: maxVersion, replica: replica, maxFrameBytes: maxFrame, spaces: spaces,
                         person: person, reps: reps)
        } catch let error as CodecError {
            throw TransportError(.malformed, "HELLO: \(error)")
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError(.malformed, "HELLO: \(error)")
        }
    }

    private static func malformed(_ what: String) -> TransportError {
        TransportError(.malformed, "HELLO: invalid \(what)")
    }
}

struct BatchHeader {
    var number: UInt64
    var space: SpaceID
    /// The authors' proofs of the batch's ops (Protocol.md 2.8).
    var proofs: [ChainProof]
    /// Where the OpCodec batch starts in the body.
    var payloadOffset: Int

    static func encode(number: UInt64, space: SpaceID, proofs: [ChainProof], payload: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: payload.count + 48 + proofs.count * 180)
        writer.varint(number)
        writer.string(space.name)
        writer.varint(proofs.count)
        for proof in proofs { proof.encode(to: &writer) }
        writer.raw(payload)
        return writer.bytes
    }

    static func decode(_ body: [UInt8]) throws(TransportError) -> BatchHeader {
        var reader = ByteReader(body)
        do {
            let number = try reader.varint()
            let name = try reader.string()
            guard let space = try? SpaceID(name) else { throw CodecError(.invalidValue, at: 0, "invalid space name") }
            let proofs = try ChainProof.decodeAll(&reader, space: space)
            return BatchHeader(number: number, space: space, proofs: proofs, payloadOffset: reader.offset)
        } catch {
            throw TransportError(.malformed, "BATCH header: \(error)")
        }
    }
}

/// A list of unsigned integers: the body of ACK and DONE.
enum Counts {
    static func encode(_ values: [UInt64]) -> [UInt8] {
        var writer = ByteWriter()
        for value in values { writer.varint(value) }
        return writer.bytes
    }

    static func decode(_ body: [UInt8], count: Int, _ what: String) throws(TransportError) -> [UInt64] {
        var reader = ByteReader(body)
        var values: [UInt64] = []
        do {
            for _ in 0..<count { values.append(try reader.varint()) }
        } catch {
            throw TransportError(.malformed, "\(what): \(error)")
        }
        guard reader.isAtEnd else { throw TransportError(.malformed, "\(what): trailing bytes") }
        return values
    }
}

enum ErrorMessage {
    static func encode(_ error: TransportError) -> [UInt8] {
        var writer = ByteWriter()
        writer.string(error.code.rawValue)
        writer.string(String(error.message.utf8.prefix(4096)) ?? error.code.rawValue)
        return writer.bytes
    }

    static func decode(_ body: [UInt8]) -> TransportError {
        var reader = ByteReader(body)
        guard let code = try? reader.string(), let message = try? reader.string() else {
            return TransportError(.malformed, "the peer sent an unreadable ERROR", fromPeer: true)
        }
        return TransportError(TransportError.Code(rawValue: code), message, fromPeer: true)
    }
}
