/// A space as one side's HELLO offers it (Protocol.md 2.5).
public struct HelloSpace: Hashable, Sendable {
    public var space: SpaceID
    /// Whether the sender of the HELLO applies the receiver's ops in this space (read-write grant).
    public var accepts: Bool
    public var vector: VersionVector
    /// The chain value (Protocol.md 2.8) at the vector's seq of each replica where the sender
    /// holds it: two devices that hold equally many ops of a replica compare them by it.
    public var heads: [ReplicaID: [UInt8]] = [:]
    /// A client's only: the vector it remembers the server holding at their last sync. The
    /// client's opening turn sends this space's ops above it, without waiting for the server's
    /// HELLO (2.4); nil when it sends none for the space.
    public var base: VersionVector? = nil

    public init(space: SpaceID, accepts: Bool, vector: VersionVector, heads: [ReplicaID: [UInt8]] = [:], base: VersionVector? = nil) {
        self.space = space
        self.accepts = accepts
        self.vector = vector
        self.heads = heads
        self.base = base
    }
}

/// HELLO: what a side speaks, holds and grants (Protocol.md 2.5).
public struct Hello: Hashable, Sendable {
    public var minVersion: UInt64
    public var maxVersion: UInt64
    public var replica: ReplicaID
    public var maxFrameBytes: UInt64
    public var spaces: [HelloSpace]
    /// The secret one person's devices share (Protocol.md 3.3), sent only to a device the
    /// sender marks as the same person's (`peers add --mine`).
    public var person: [UInt8]? = nil
    /// The Ed25519 keys of the devices the sender marks as union reps (Protocol.md 2.5): a
    /// member who marked the same device learns where to seal evidence without ever syncing with
    /// it. Each key proves itself: its SHA-256 is the device id the member typed.
    public var reps: [[UInt8]] = []

    /// The most rep keys one HELLO carries.
    public static let maximumReps = 64
    /// The most spaces one HELLO may offer.
    public static let maximumSpaces = 1024

    public init(minVersion: UInt64, maxVersion: UInt64, replica: ReplicaID, maxFrameBytes: UInt64, spaces: [HelloSpace],
                person: [UInt8]? = nil, reps: [[UInt8]] = []) {
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.replica = replica
        self.maxFrameBytes = maxFrameBytes
        self.spaces = spaces
        self.person = person
        self.reps = reps
    }

    public func space(_ space: SpaceID) -> HelloSpace? { spaces.first { $0.space == space } }

    public func encode() -> [UInt8] {
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
            if let base = entry.base {
                writer.byte(1)
                let entries = base.entries.sorted { $0.key < $1.key }
                writer.varint(entries.count)
                for (replica, seq) in entries {
                    writer.raw(replica.bytes)
                    writer.varint(seq)
                }
            } else {
                writer.byte(0)
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

    public static func decode(_ body: [UInt8]) throws(SessionError) -> Hello {
        var reader = ByteReader(body)
        do {
            return try decode(&reader)
        } catch let error as SessionError {
            throw error
        } catch {
            throw SessionError(.malformed, "HELLO: \(error)")
        }
    }

    private static func decode(_ reader: inout ByteReader) throws -> Hello {
        let minVersion = try reader.varint()
        let maxVersion = try reader.varint()
        guard let replica = ReplicaID(bytes: try reader.raw(16)) else { throw malformed("replica id") }
        let maxFrame = try reader.varint()
        let count = try reader.count(limit: maximumSpaces)
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
                case 1:
                    // An entry at seq 0 reads as absent, its chain value with it: there is no
                    // op whose chain it could name, and keeping it would make the HELLO
                    // re-encode to a different one.
                    let head = Array(try reader.raw(32))
                    if seq > 0 { heads[replica] = head }
                case let other: throw malformed("chain head flag \(other)")
                }
            }
            var base: VersionVector? = nil
            switch try reader.byte() {
            case 0: break
            case 1:
                var entries: [ReplicaID: UInt64] = [:]
                for _ in 0..<(try reader.count(limit: reader.remaining / 17)) {
                    guard let replica = ReplicaID(bytes: try reader.raw(16)) else { throw malformed("replica id") }
                    guard entries.updateValue(try reader.varint(), forKey: replica) == nil else { throw malformed("a replica twice in a base") }
                }
                base = VersionVector(entries)
            case let other: throw malformed("base flag \(other)")
            }
            spaces.append(HelloSpace(space: space, accepts: flag == 1, vector: VersionVector(vector), heads: heads, base: base))
        }
        var person: [UInt8]? = nil
        switch try reader.byte() {
        case 0: break
        case 1:
            let secret = Array(try reader.raw(32))
            // No device makes a secret of one repeated byte; anyone could guess it.
            guard Set(secret).count > 1 else { throw malformed("person secret") }
            person = secret
        case let other: throw malformed("person flag \(other)")
        }
        let repCount = try reader.count(limit: min(maximumReps, reader.remaining / 32))
        var reps: [[UInt8]] = []
        for _ in 0..<repCount { reps.append(Array(try reader.raw(32))) }
        guard reader.isAtEnd else { throw malformed("bytes after the rep keys") }
        return Hello(minVersion: minVersion, maxVersion: maxVersion, replica: replica, maxFrameBytes: maxFrame, spaces: spaces,
                     person: person, reps: reps)
    }

    private static func malformed(_ what: String) -> SessionError {
        SessionError(.malformed, "HELLO: invalid \(what)")
    }
}
