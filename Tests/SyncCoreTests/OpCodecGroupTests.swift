import Testing
@testable import SyncCore

@Suite("Stored op groups")
struct OpCodecGroupTests {
    static let note = OpCodecTests.note

    /// Every payload kind, each op right after the one before, timestamps rising across
    /// milliseconds and within one: the ops of one group, as `canGroup` admits them.
    static func group(seed: UInt64, count: Int) -> [Op] {
        var random = SplitMix64(seed: seed)
        let payloads: [OpPayload] = [
            .create(entity: note, kind: .note),
            .insertText(entity: note, origin: nil, rightOrigin: nil, text: "Visit 👩🏽‍⚕️ e\u{301}, caseload 31"),
            .setField(entity: note, key: "caseload", value: .int(31)),
            .setField(entity: note, key: "hours_worked", value: .double(47.5)),
            .setField(entity: note, key: "case", value: .null),
            .addElement(entity: note, set: FieldKey.tags, element: "overload"),
            .removeElement(entity: note, set: FieldKey.tags, element: "overload", observed: [Dot(replica: OpCodecTests.other, seq: 3)]),
            .insertText(entity: note, origin: CharID(replica: OpCodecTests.other, seq: 9), rightOrigin: nil, text: "x"),
            .deleteText(entity: note, ranges: [CharRange(start: CharID(replica: OpCodecTests.replica, seq: 2), count: 5)]),
            .setDeleted(entity: note, deleted: true),
            .erased(entity: note, span: 12),
        ]
        var ops: [Op] = []
        var seq = 1 + random.next() % 1_000
        var timestamp = Timestamp(millis: 1_767_225_600_000 + random.next() % 1_000, counter: UInt32(random.next() % 4))
        for _ in 0..<count {
            let payload = payloads[Int(random.next() % UInt64(payloads.count))]
            ops.append(OpCodecTests.op(seq, timestamp.millis, payload, counter: timestamp.counter))
            seq += OpCodec.span(of: payload)
            timestamp = random.next() % 3 == 0
                ? Timestamp(millis: timestamp.millis + 1 + random.next() % 5_000, counter: 0)
                : Timestamp(millis: timestamp.millis, counter: timestamp.counter + 1)
        }
        return ops
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4, 5])
    func groupsRoundTrip(seed: UInt64) throws {
        for count in [1, 2, 7, OpCodec.maximumGroupCount] {
            let ops = Self.group(seed: seed &* 31 &+ UInt64(count), count: count)
            #expect(zip(ops, ops.dropFirst()).allSatisfy { OpCodec.canGroup($1, after: $0) })
            let bytes = OpCodec.encodeGroup(ops[...])
            #expect(bytes.first == (count == 1 ? OpCodec.payloadVersion : OpCodec.groupVersion))
            #expect(try OpCodec.decodeStored(bytes, id: ops[0].id, timestamp: ops[0].timestamp) == ops)
        }
    }

    /// Seven ops of a new note take far fewer bytes as one group than as seven payloads, which
    /// each repeat the entity (16 bytes).
    @Test func aGroupIsSmallerThanItsPayloads() {
        let ops = Self.group(seed: 9, count: 7)
        let separate = ops.map { OpCodec.encodePayload($0.payload).count }.reduce(0, +)
        #expect(OpCodec.encodeGroup(ops[...]).count <= separate - 6 * 12)
    }

    @Test func opsThatCannotShareAGroup() {
        let ops = Self.group(seed: 4, count: 3)
        var otherReplica = ops[1]
        otherReplica.id.replica = OpCodecTests.other
        var gap = ops[1]
        gap.id.seq += 1
        var sameTime = ops[1]
        sameTime.timestamp = ops[0].timestamp
        var otherEntity = ops[1]
        otherEntity.payload = .purge(entity: EntityID(high: 1, low: 2))
        var otherSpace = ops[1]
        otherSpace.id.space = .evidence
        #expect(OpCodec.canGroup(ops[1], after: ops[0]))
        for next in [otherReplica, gap, sameTime, otherEntity, otherSpace] {
            #expect(!OpCodec.canGroup(next, after: ops[0]))
        }
    }

    /// A damaged group is refused with a `CodecError` — never a trap, never ops out of order.
    @Test func damagedGroupsAreRefused() {
        let ops = Self.group(seed: 6, count: 7)
        let bytes = OpCodec.encodeGroup(ops[...])
        let decode = { (bytes: [UInt8]) throws(CodecError) -> [Op] in
            try OpCodec.decodeStored(bytes, id: ops[0].id, timestamp: ops[0].timestamp)
        }
        for length in 1..<bytes.count {
            #expect(throws: CodecError.self) { try decode(Array(bytes.prefix(length))) }
        }
        #expect(throws: CodecError.self) { try decode(bytes + [0]) }
        // A count of one, or more than the maximum.
        #expect(throws: CodecError.self) { try decode([OpCodec.groupVersion, 1] + bytes.dropFirst(2)) }
        #expect(throws: CodecError.self) { try decode([OpCodec.groupVersion, 0x7F] + bytes.dropFirst(2)) }
        // The second op stamped at the first op's time: not after it.
        var writer = ByteWriter()
        writer.byte(OpCodec.groupVersion)
        writer.varint(2)
        writer.bytes16(high: Self.note.high, low: Self.note.low)
        writer.byte(OpCodec.Tag.purge)
        writer.varint(0)
        writer.varint(UInt64(ops[0].timestamp.counter))
        writer.byte(OpCodec.Tag.purge)
        #expect(throws: CodecError.self) { try decode(writer.bytes) }
        // Seeded single-byte damage decodes to something valid or fails cleanly.
        var random = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            var damaged = bytes
            damaged[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            if let decoded = try? decode(damaged) {
                #expect(zip(decoded, decoded.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp && $0.lastSeq < $1.id.seq })
            }
        }
    }
}
