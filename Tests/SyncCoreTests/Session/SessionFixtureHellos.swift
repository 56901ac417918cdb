@testable import SyncCore

/// The HELLO bodies of `Tests/Fixtures/protocol/sessions/hellos.json`: ones a decoder must read
/// field by field, and ones it must refuse (`malformed`, Protocol.md 2.5).
///
/// Why by hand: each shows one part of 2.5 a second implementation must get right (a chain
/// value, a base, an empty base, the person secret, rep keys, a version range). The refused
/// bodies each break one rule, and are written byte by byte with `RawHello`, since the encoder
/// cannot write them.
enum FixtureHellos {
    typealias B = FixtureBatches

    struct Fixture {
        var name: String
        var sections: [String]
        var description: String
        var hello: Hello
        /// Bytes a decoder must accept that the encoder writes otherwise.
        var accepted: [UInt8]? = nil
    }

    struct Refusal {
        var name: String
        var section: String
        var reason: String
        var bytes: [UInt8]
    }

    /// 32 bytes that differ from `seed`'s for another seed, never one byte repeated: a chain
    /// value, a person secret or a rep key.
    static func bytes32(_ seed: UInt8) -> [UInt8] { (0..<32).map { seed &+ UInt8($0) &* 11 } }

    static let maxFrame = UInt64(SyncProtocol.maxFrameBytes)

    static func space(_ space: SpaceID, accepts: Bool = true, _ vector: [ReplicaID: UInt64] = [:], heads: [ReplicaID: [UInt8]] = [:],
                      base: [ReplicaID: UInt64]? = nil) -> HelloSpace {
        HelloSpace(space: space, accepts: accepts, vector: VersionVector(vector), heads: heads, base: base.map(VersionVector.init))
    }

    static func hello(_ replica: ReplicaID, versions: ClosedRange<UInt64> = 7...7, maxFrame: UInt64 = maxFrame, _ spaces: [HelloSpace],
                      person: [UInt8]? = nil, reps: [[UInt8]] = []) -> Hello {
        Hello(minVersion: versions.lowerBound, maxVersion: versions.upperBound, replica: replica, maxFrameBytes: maxFrame, spaces: spaces,
              person: person, reps: reps)
    }

    static var all: [Fixture] {
        [
            Fixture(name: "client-with-bases", sections: ["2.4", "2.5"],
                    description: "A client's HELLO: two spaces with vectors, chain values for some replicas and a base each; seq 300 takes a two-byte varint.",
                    hello: hello(B.a, [
                        space(.evidence, [B.a: 3, B.c: 2], heads: [B.c: bytes32(0x30)], base: [B.a: 1, B.c: 2]),
                        space(.team, [B.a: 12, B.b: 40, B.c: 300], heads: [B.a: bytes32(0xA0), B.b: bytes32(0xB0)], base: [B.a: 9, B.b: 40]),
                    ])),
            Fixture(name: "server", sections: ["2.4", "2.5"],
                    description: "A server's HELLO: one version chosen (min = max), a 4 MiB frame limit, a read-write space and a read-only one with an empty vector, no base.",
                    hello: hello(B.b, maxFrame: 4 << 20, [space(.team, [B.a: 9, B.b: 41], heads: [B.b: bytes32(0x41)]), space(.evidence, accepts: false)])),
            Fixture(name: "person-secret-and-rep-keys", sections: ["2.5", "3.1"],
                    description: "A client speaking versions 7 to 9, with the smallest frame limit allowed (64 KiB), a space with no base, a person secret and two rep keys.",
                    hello: hello(B.a, versions: 7...9, maxFrame: 64 << 10, [space(.team, [B.a: 1])],
                                 person: bytes32(0x51), reps: [bytes32(0x61), bytes32(0x71)])),
            Fixture(name: "empty-base-and-no-base", sections: ["2.4", "2.5"],
                    description: "An empty base (has_base 1, no entries: everything above nothing is sent) and no base (has_base 0: nothing is sent in the opening turn) are different things.",
                    hello: hello(B.a, [space(.evidence, base: [:]), space(.team, [B.a: 2])])),
            Fixture(name: "no-spaces", sections: ["2.5"], description: "The shortest HELLO: no space, no person secret, no rep key.",
                    hello: hello(B.d, [])),
            Fixture(name: "accepted-zero-seq-entries", sections: ["2.5"],
                    description: "A vector entry and a base entry at seq 0 read as absent, a chain value given with one ignored; the encoder omits them (canonical_hex).",
                    hello: hello(B.a, [space(.team, [B.a: 2], base: [B.b: 3])]),
                    accepted: RawHello.bytes(spaces: [RawHello.Space(vector: [(B.a, 2, 0), (B.c, 0, 0), (B.d, 0, 1)], base: [(B.b, 3), (B.c, 0)])])),
        ]
    }

    static var refused: [Refusal] {
        typealias S = RawHello.Space
        let valid = RawHello.bytes(spaces: [S(vector: [(B.c, 1, 1)])])
        return [
            Refusal(name: "empty-body", section: "2.5", reason: "no byte at all", bytes: []),
            Refusal(name: "ends-inside-the-replica-id", section: "2.5", reason: "the body ends after 8 bytes of the replica id",
                    bytes: [0x07, 0x07] + B.a.bytes.prefix(8)),
            Refusal(name: "ends-inside-a-chain-value", section: "2.5", reason: "the body ends after 10 bytes of a chain value",
                    bytes: Array(valid.dropLast(3 + 22))),
            Refusal(name: "non-canonical-max-frame", section: "1.1", reason: "max_frame 8 MiB written with a redundant zero byte (80 80 80 84 00)",
                    bytes: [0x07, 0x07] + B.a.bytes + [0x80, 0x80, 0x80, 0x84, 0x00, 0x00, 0x00, 0x00]),
            Refusal(name: "two-spaces-declared-one-written", section: "2.5", reason: "S is 2, and the body ends after the first space",
                    bytes: RawHello.bytes(spaces: [S()], spaceCount: 2, tail: false)),
            Refusal(name: "space-name-not-allowed", section: "2.5", reason: "the space name \"Team\" breaks the rules of 1.3 (a-z first)",
                    bytes: RawHello.bytes(spaces: [S(name: "Team")])),
            Refusal(name: "space-named-twice", section: "2.5", reason: "the space team twice", bytes: RawHello.bytes(spaces: [S(), S()])),
            Refusal(name: "accepts-byte-2", section: "2.5", reason: "an accepts byte of 2", bytes: RawHello.bytes(spaces: [S(accepts: 2)])),
            Refusal(name: "replica-twice-in-a-vector", section: "2.5", reason: "replica 03…03 twice in a vector, at seqs 1 and 2",
                    bytes: RawHello.bytes(spaces: [S(vector: [(B.c, 1, 0), (B.c, 2, 0)])])),
            Refusal(name: "has-head-byte-2", section: "2.5", reason: "a has_head byte of 2", bytes: RawHello.bytes(spaces: [S(vector: [(B.c, 1, 2)])])),
            Refusal(name: "has-base-byte-2", section: "2.5", reason: "a has_base byte of 2", bytes: RawHello.bytes(spaces: [S(baseFlag: 2)])),
            Refusal(name: "replica-twice-in-a-base", section: "2.5", reason: "replica 03…03 twice in a base, at seqs 1 and 2",
                    bytes: RawHello.bytes(spaces: [S(base: [(B.c, 1), (B.c, 2)])])),
            Refusal(name: "has-person-byte-2", section: "2.5", reason: "a has_person byte of 2", bytes: RawHello.bytes(spaces: [], personFlag: 2)),
            Refusal(name: "person-secret-of-one-repeated-byte", section: "3.1", reason: "a person secret of 32 bytes 07",
                    bytes: RawHello.bytes(spaces: [], personFlag: 1, person: Array(repeating: 0x07, count: 32))),
            Refusal(name: "65-rep-keys", section: "2.5", reason: "K is 65, above 64, with 65 keys present",
                    bytes: RawHello.bytes(spaces: [], reps: (0..<65).map { bytes32(UInt8($0)) })),
            Refusal(name: "byte-after-the-rep-keys", section: "2.5", reason: "one byte 00 after the rep keys",
                    bytes: RawHello.bytes(spaces: [], reps: [bytes32(0x61)]) + [0x00]),
        ]
    }
}

/// HELLO bodies written byte by byte, so that a field can hold what the encoder never writes.
enum RawHello {
    struct Space {
        var name = "team"
        var accepts: UInt8 = 1
        /// Replica, seq, has_head byte; a has_head of 1 is followed by a chain value.
        var vector: [(ReplicaID, UInt64, UInt8)] = []
        var baseFlag: UInt8? = nil
        var base: [(ReplicaID, UInt64)] = []
    }

    /// Client A's HELLO, versions 7–7, 8 MiB frames; `tail` false stops after the spaces.
    static func bytes(spaces: [Space], spaceCount: Int? = nil, tail: Bool = true, personFlag: UInt8 = 0, person: [UInt8] = [],
                      reps: [[UInt8]] = []) -> [UInt8] {
        var writer = ByteWriter()
        writer.varint(7)
        writer.varint(7)
        writer.raw(FixtureBatches.a.bytes)
        writer.varint(FixtureHellos.maxFrame)
        writer.varint(spaceCount ?? spaces.count)
        for space in spaces {
            writer.string(space.name)
            writer.byte(space.accepts)
            writer.varint(space.vector.count)
            for (replica, seq, flag) in space.vector {
                writer.raw(replica.bytes)
                writer.varint(seq)
                writer.byte(flag)
                if flag == 1 { writer.raw(FixtureHellos.bytes32(0xC0)) }
            }
            writer.byte(space.baseFlag ?? (space.base.isEmpty ? 0 : 1))
            if space.baseFlag == nil, !space.base.isEmpty {
                writer.varint(space.base.count)
                for (replica, seq) in space.base {
                    writer.raw(replica.bytes)
                    writer.varint(seq)
                }
            }
        }
        guard tail else { return writer.bytes }
        writer.byte(personFlag)
        writer.raw(person)
        writer.varint(reps.count)
        for key in reps { writer.raw(key) }
        return writer.bytes
    }
}
