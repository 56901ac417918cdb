import Testing
@testable import SyncCore

@Suite("Op codec")
struct OpCodecTests {
    static let replica = ReplicaID(high: 0x7D3A_9C0E_51B2_4F6A, low: 0x8E1C_2D3B_4A59_6877)
    static let other = ReplicaID(high: 0x1111_2222_3333_4444, low: 0x5555_6666_7777_8888)
    static let note = EntityID(high: 0x019B_77C7_D800_3C5A, low: 0x91E2_44B0_0D6F_A713)

    static func op(_ seq: UInt64, _ millis: UInt64, _ payload: OpPayload, counter: UInt32 = 0,
                   space: SpaceID = .team, replica: ReplicaID = replica) -> Op {
        Op(id: OpID(space: space, replica: replica, seq: seq), timestamp: Timestamp(millis: millis, counter: counter), payload: payload)
    }

    /// `count` single-character insertions typed one after the other, 80–330 ms apart.
    static func typingRun(count: Int, seed: UInt64 = 1) -> OpBatch {
        var generator = SplitMix64(seed: seed)
        let letters = Array("the caseload is far too high this week, supervision cancelled again\n")
        var ops: [Op] = []
        var millis: UInt64 = 1_767_225_600_000
        var origin: CharID? = nil
        for index in 0..<count {
            let seq = UInt64(index) + 1
            millis += 80 + generator.next() % 250
            let text = String(letters[index % letters.count])
            ops.append(op(seq, millis, .insertText(entity: note, origin: origin, rightOrigin: nil, text: text)))
            origin = CharID(replica: replica, seq: seq)
        }
        return OpBatch(ops: ops)
    }

    @Test func emptyBatchRoundTrips() throws {
        let bytes = OpCodec.encode(OpBatch())
        #expect(bytes == [OpCodec.version, 0, 0, 0, 0, 0, 0])
        #expect(try OpCodec.decode(bytes) == OpBatch())
    }

    @Test func everyPayloadCaseRoundTrips() throws {
        let payloads: [OpPayload] = [
            .create(entity: Self.note, kind: .note),
            .create(entity: Self.note, kind: .evidence),
            .setField(entity: Self.note, key: "caseload", value: .int(31)),
            .setField(entity: Self.note, key: "hours_worked", value: .double(47.5)),
            .setField(entity: Self.note, key: "supervision", value: .bool(false)),
            .setField(entity: Self.note, key: "week", value: .string("2026-W02")),
            .setField(entity: Self.note, key: "case", value: .null),
            .setField(entity: Self.note, key: "x", value: .int(Int64.min)),
            .setField(entity: Self.note, key: "y", value: .double(-0.0)),
            .addElement(entity: Self.note, set: FieldKey.tags, element: "overload"),
            .removeElement(entity: Self.note, set: FieldKey.tags, element: "overload",
                           observed: [Dot(replica: Self.replica, seq: 3), Dot(replica: Self.other, seq: UInt64.max)]),
            .insertText(entity: Self.note, origin: nil, rightOrigin: nil, text: "Visit 👩🏽‍⚕️ e\u{301}"),
            .insertText(entity: Self.note, origin: CharID(replica: Self.other, seq: 9), rightOrigin: CharID(replica: Self.replica, seq: 1), text: "x"),
            .deleteText(entity: Self.note, ranges: [CharRange(start: CharID(replica: Self.other, seq: 2), count: 5),
                                                    CharRange(start: CharID(replica: Self.replica, seq: UInt64.max), count: 1)]),
            .deleteText(entity: Self.note, ranges: []),
            .setDeleted(entity: Self.note, deleted: true),
            .setDeleted(entity: Self.note, deleted: false),
            .purge(entity: Self.note),
            .erased(entity: Self.note, span: 12),
        ]
        var seq: UInt64 = 1
        var ops: [Op] = []
        for (index, payload) in payloads.enumerated() {
            ops.append(Self.op(seq, 1_767_225_600_000 - UInt64(index) * 7, payload, counter: UInt32(index % 3)))
            seq += OpCodec.span(of: payload)
        }
        let batch = OpBatch(ops: ops)
        #expect(try OpCodec.decode(OpCodec.encode(batch)) == batch)
        for payload in payloads {
            #expect(try OpCodec.decodePayload(OpCodec.encodePayload(payload)) == payload)
        }
    }

    @Test func extremeSequenceNumbersAndTimestampsRoundTrip() throws {
        let batch = OpBatch(ops: [
            Self.op(UInt64.max, UInt64.max, .purge(entity: Self.note), counter: UInt32.max),
            Self.op(UInt64.max - 2, 0, .insertText(entity: Self.note, origin: nil, rightOrigin: nil, text: "abc")),
            Self.op(1, 1 << 63, .erased(entity: Self.note, span: UInt64.max), replica: Self.other),
            Self.op(UInt64.max - 9, 5, .erased(entity: Self.note, span: 10), space: .evidence),
            Self.op(7, 4, .setField(entity: Self.note, key: "caseload", value: .int(Int64.max))),
        ])
        let bytes = OpCodec.encode(batch)
        #expect(try OpCodec.decode(bytes) == batch)
    }

    @Test func thousandsOfRandomBatchesRoundTrip() throws {
        var total = 0
        var continuations = 0
        for seed in UInt64(0)..<3_000 {
            var random = RandomOps(seed: seed)
            for _ in 0..<2 {
                let batch = random.batch()
                let bytes = OpCodec.encode(batch)
                let decoded: OpBatch
                do {
                    decoded = try OpCodec.decode(bytes)
                } catch {
                    Issue.record("seed \(seed): \(error)")
                    return
                }
                #expect(decoded == batch, "seed \(seed)")
                // Strings compare by canonical equivalence; the bytes say the scalars survived too.
                #expect(OpCodec.encode(decoded) == bytes, "seed \(seed)")
                total += batch.count
                for (previous, op) in zip(batch.ops, batch.ops.dropFirst()) where op.id.space == previous.id.space && op.id.replica == previous.id.replica {
                    if let next = OpCodec.insertContinuation(after: previous), next.seq == op.id.seq,
                       case .insertText(_, next.origin, next.rightOrigin, _) = op.payload { continuations += 1 }
                    if let next = OpCodec.backspaceContinuation(after: previous), next.seq == op.id.seq,
                       case .deleteText(_, [next.range]) = op.payload { continuations += 1 }
                }
            }
        }
        #expect(total > 50_000)
        // The generator types and backspaces often enough that the run forms are exercised.
        #expect(continuations > 5_000, "\(continuations) continuations")
    }

    @Test func randomPayloadsRoundTripStandalone() throws {
        var random = RandomOps(seed: 99)
        for index in 0..<5_000 {
            let payload = random.payload(entity: random.pick(random.entities))
            let bytes = OpCodec.encodePayload(payload)
            #expect(bytes.first == OpCodec.payloadVersion)
            let decoded = try OpCodec.decodePayload(bytes)
            #expect(decoded == payload, "payload \(index)")
            #expect(OpCodec.encodePayload(decoded) == bytes, "payload \(index)")
        }
    }

    @Test func typingRunsUseTheCompactForm() throws {
        let batch = Self.typingRun(count: 1_000)
        let bytes = OpCodec.encode(batch)
        #expect(try OpCodec.decode(bytes) == batch)
        let perOp = Double(bytes.count) / 1_000
        print("1000-op typing run: \(bytes.count) bytes, \(perOp) bytes/op")
        #expect(perOp < 3.5)
        // Every op after the first is an ASCII run: tag 0x80|c then a two-byte timestamp delta.
        #expect(bytes.count <= 80 + 999 * 3)
    }

    @Test func multiCharacterRunsAndBackspacesUseShortTags() throws {
        let text: [String] = ["Vis", "it ", "é", "👩🏽‍⚕️"]
        var ops: [Op] = []
        var seq: UInt64 = 10
        var origin: CharID? = CharID(replica: Self.other, seq: 4)
        var millis: UInt64 = 1_767_225_600_000
        for piece in text {
            let op = Self.op(seq, millis, .insertText(entity: Self.note, origin: origin, rightOrigin: CharID(replica: Self.other, seq: 5), text: piece))
            ops.append(op)
            origin = CharID(replica: Self.replica, seq: op.lastSeq)
            seq = op.lastSeq + 1
            millis += 150
        }
        // Three backspaces: the last character typed, then the two before it.
        var target = origin!
        for _ in 0..<3 {
            ops.append(Self.op(seq, millis, .deleteText(entity: Self.note, ranges: [CharRange(start: target, count: 1)]), counter: 2))
            target = CharID(replica: target.replica, seq: target.seq - 1)
            seq += 1
            millis += 90
        }
        let batch = OpBatch(ops: ops)
        let bytes = OpCodec.encode(batch)
        #expect(try OpCodec.decode(bytes) == batch)
        #expect(bytes.filter { $0 == OpCodec.Tag.backspaceRun }.count >= 3)
        let fullForms = OpBatch(ops: [ops[0]])
        // The three later insertions and three deletions together cost less than the first op alone.
        #expect(bytes.count - OpCodec.encode(fullForms).count < 60)
    }

    @Test func interleavedReplicasAndSpacesKeepTheirOrder() throws {
        var ops: [Op] = []
        for index in 0..<50 {
            let replica = index % 3 == 0 ? Self.other : Self.replica
            let space: SpaceID = index % 5 == 0 ? .evidence : .team
            ops.append(Self.op(UInt64(index / 3 + 1), 1_000 + UInt64(index), .setDeleted(entity: Self.note, deleted: index % 2 == 0),
                               space: space, replica: replica))
        }
        let batch = OpBatch(ops: ops)
        #expect(try OpCodec.decode(OpCodec.encode(batch)) == batch)
    }

    /// The encoder's and decoder's table of next sequence numbers keeps its last entry aside;
    /// whatever the order of keys, it must answer as a plain dictionary does.
    @Test func nextSequenceTableAgreesWithADictionary() {
        var generator = SplitMix64(seed: 23)
        var table = OpCodec.NextSeqs()
        var model: [OpCodec.SeqKey: UInt64] = [:]
        for _ in 0..<5_000 {
            let key = OpCodec.SeqKey(space: Int.random(in: 0..<3, using: &generator), replica: Int.random(in: 0..<4, using: &generator))
            #expect(table.next(key) == model[key, default: 1])
            if Bool.random(using: &generator) {
                let value = UInt64.random(in: 1...1_000, using: &generator)
                table.set(key, value)
                model[key] = value
            }
        }
    }
}
