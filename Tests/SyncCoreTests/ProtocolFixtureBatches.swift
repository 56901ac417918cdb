@testable import SyncCore

/// The batches of `Tests/Fixtures/protocol/batches`: op batches chosen to show every part of the
/// encoding of Protocol.md 1.3–1.5 once, written with the bytes the reference encoder gives them.
///
/// Why by hand and not from a replica: each batch is meant to show one thing a second
/// implementation must get right (a flag, a run form, a selector, an edge value), so its ops are
/// spelled out. The ids and times are fixed, so the files come out the same on every run.
enum FixtureBatches {
    /// Replicas 01…01, 02…02, 03…03, 04…04: A < B < C < D by bytes, as the tie-breaks need.
    static func replica(_ n: UInt8) -> ReplicaID { ReplicaID(high: UInt64(n) << 56, low: UInt64(n)) }
    static let (a, b, c, d) = (replica(1), replica(2), replica(3), replica(4))
    /// 2026-01-01 10:00:00 UTC.
    static let start: UInt64 = 1_767_261_600_000
    static func entity(_ n: UInt64) -> EntityID { EntityID(high: start << 16 | 0xF1C5, low: 0x7E57_0000_0000_0000 | n) }
    static let (note, other, finding, caseFile) = (entity(1), entity(2), entity(3), entity(4))
    static let evidence = SpaceID.evidence

    static func op(_ replica: ReplicaID, _ seq: UInt64, _ elapsed: UInt64, _ payload: OpPayload,
                   counter: UInt32 = 0, space: SpaceID = .team) -> Op {
        Op(id: OpID(space: space, replica: replica, seq: seq), timestamp: Timestamp(millis: start &+ elapsed, counter: counter), payload: payload)
    }

    static func dot(_ replica: ReplicaID, _ seq: UInt64) -> Dot { Dot(replica: replica, seq: seq) }

    /// A batch fixture: its ops, and for an input the encoder would write otherwise, the bytes.
    struct Fixture {
        var name: String
        var sections: [String]
        var description: String
        var ops: [Op]
        /// Bytes a decoder must accept that are not what the reference encoder writes for `ops`.
        var accepted: [UInt8]? = nil
    }

    /// A fixture whose ops follow A's create of the note, at seq 1 and the start time.
    static func createdNote(name: String, sections: [String], description: String, then ops: [Op]) -> Fixture {
        Fixture(name: name, sections: sections, description: description, ops: [op(a, 1, 0, .create(entity: note, kind: .note))] + ops)
    }

    static var all: [Fixture] {
        [workedExample, everyPayloadKind, fieldValues, runsAndFlags, textBlock, registerWrites, multiReplica, edges, unicode,
         Fixture(name: "empty-batch", sections: ["1.3", "2.4"], description: "A batch of no ops: seven bytes, all tables empty. A receiver accepts it.", ops: [])]
            + FixtureAcceptedInputs.all
    }

    static let workedExample = Fixture(
        name: "worked-example", sections: ["1.3", "1.4", "1.5", "1.9"],
        description: "The worked example of Protocol.md 1.9, byte for byte: a create, a field, a tag, typing \"Hi!\" and a backspace.",
        ops: ProtocolDocumentTests.example.ops)

    static var everyPayloadKind: Fixture {
        let n = note
        return createdNote(
            name: "every-payload-kind", sections: ["1.4", "1.2"],
            description: "One op of each of the nine kinds in full form (no op continues the one before it), and every entity kind.",
            then: [
                op(a, 2, 10, .setField(entity: n, key: "caseload", value: .string("thirty-one"))),
                op(a, 3, 20, .addElement(entity: n, set: "tags", element: "overload")),
                op(a, 4, 30, .removeElement(entity: n, set: "tags", element: "overload", observed: [dot(a, 3)])),
                op(a, 5, 40, .insertText(entity: n, origin: nil, rightOrigin: nil, text: "abc")),
                op(a, 8, 50, .deleteText(entity: n, ranges: [CharRange(start: dot(a, 5), count: 2)])),
                op(a, 9, 60, .setDeleted(entity: n, deleted: true)),
                op(a, 10, 70, .create(entity: other, kind: .caseReference)),
                op(a, 11, 80, .erased(entity: other, span: 3)),
                op(a, 14, 90, .purge(entity: other)),
                op(a, 15, 100, .create(entity: finding, kind: .finding)),
                op(a, 16, 110, .create(entity: caseFile, kind: .evidence)),
            ])
    }

    static var fieldValues: Fixture {
        let values: [FieldValue] = [
            .null, .bool(false), .bool(true), .int(0), .int(-1), .int(31), .int(.min), .int(.max), .double(7.75), .double(-0.0),
            .double(.greatestFiniteMagnitude), .double(.leastNonzeroMagnitude), .string(""), .string("Zoë met the family 🙂"),
        ]
        var ops = [op(a, 1, 0, .create(entity: note, kind: .note))]
        for (index, value) in values.enumerated() {
            let seq = UInt64(index) + 2
            ops.append(op(a, seq, 1_000 * seq, .setField(entity: note, key: "value.\(index)", value: value, pred: index == 0 ? [] : [dot(a, seq - 1)])))
        }
        return Fixture(
            name: "field-values", sections: ["1.4", "1.1"],
            description: "Every field value type (1.4): null, false, true, integers (zigzag svarint, both extremes), doubles (IEEE bits: -0.0, the largest, a subnormal), strings (empty, non-ASCII). Each write's pred names the one before, the writer's own op: selector 1, d = 1.",
            ops: ops)
    }

    static var runsAndFlags: Fixture {
        let n = note
        return createdNote(
            name: "runs-and-flags", sections: ["1.4", "1.5"],
            description: "The compact forms: ASCII runs (0x80 | c), an insertion run with non-ASCII text (0x10), backspace runs after an insertion and after a deletion (0x11), run timestamps with a counter (h & 1), and the same-millisecond flag 0x40 (a counter delta only) on full-form ops.",
            then: [
                op(a, 2, 0, .setField(entity: n, key: "caseload", value: .int(3)), counter: 1),
                op(a, 3, 0, .setField(entity: n, key: "caseload", value: .int(4), pred: [dot(a, 2)]), counter: 4),
                op(a, 4, 500, .insertText(entity: n, origin: nil, rightOrigin: nil, text: "C")),
                op(a, 5, 650, .insertText(entity: n, origin: dot(a, 4), rightOrigin: nil, text: "a")),
                op(a, 6, 650, .insertText(entity: n, origin: dot(a, 5), rightOrigin: nil, text: "f"), counter: 1),
                op(a, 7, 800, .insertText(entity: n, origin: dot(a, 6), rightOrigin: nil, text: "é 🙂")),
                op(a, 10, 900, .deleteText(entity: n, ranges: [CharRange(start: dot(a, 9), count: 1)])),
                op(a, 11, 1_000, .deleteText(entity: n, ranges: [CharRange(start: dot(a, 8), count: 1)])),
                op(a, 12, 1_000, .deleteText(entity: n, ranges: [CharRange(start: dot(a, 7), count: 1)]), counter: 2),
                op(a, 13, 2_000, .insertText(entity: n, origin: dot(a, 6), rightOrigin: dot(a, 7), text: "e")),
                op(a, 14, 2_100, .insertText(entity: n, origin: dot(a, 13), rightOrigin: dot(a, 7), text: "!")),
            ])
    }

    static var textBlock: Fixture {
        let prose = "Home visit with the family at home. The family asked for another home visit next week; the visit went well and the family was at home."
        let n = note
        return createdNote(
            name: "text-block", sections: ["1.3", "1.4", "1.5"],
            description: "Enough repetitive text for the compressed text block to pay (T and C non-zero): a full-form insertion with flag 0x10 (tag 0x35 with 0x20), an insertion run taking its text from the block (0x12), and an ASCII run, whose text stays in the op.",
            then: [
                op(a, 2, 1_000, .insertText(entity: n, origin: nil, rightOrigin: nil, text: prose)),
                op(a, 2 + UInt64(prose.unicodeScalars.count), 1_100,
                   .insertText(entity: n, origin: dot(a, 1 + UInt64(prose.unicodeScalars.count)), rightOrigin: nil, text: " The family visit: at home, well.")),
                op(a, 35 + UInt64(prose.unicodeScalars.count), 1_250,
                   .insertText(entity: n, origin: dot(a, 34 + UInt64(prose.unicodeScalars.count)), rightOrigin: nil, text: "!")),
            ])
    }

    static var registerWrites: Fixture {
        let n = note
        return createdNote(
            name: "register-writes", sections: ["1.4", "1.10"],
            description: "Register writes naming what they overwrite: a pred of the writer's own op (selector 1), of another replica's (selector 2 + i, the replica's table index), of two concurrent entries; removals observing dots of two replicas; and B, named only in dots, still in the replica table.",
            then: [
                op(a, 2, 100, .setField(entity: n, key: "caseload", value: .int(20))),
                op(c, 1, 200, .setField(entity: n, key: "caseload", value: .int(22), pred: [dot(a, 2)])),
                op(a, 3, 300, .setField(entity: n, key: "caseload", value: .int(31), pred: [dot(b, 7), dot(c, 1)])),
                op(c, 2, 400, .setDeleted(entity: n, deleted: true, pred: [])),
                op(a, 4, 500, .setDeleted(entity: n, deleted: false, pred: [dot(a, 1), dot(c, 2)])),
                op(c, 3, 600, .removeElement(entity: n, set: "tags", element: "urgent", observed: [dot(b, 3), dot(c, 1)])),
            ])
    }

    static var multiReplica: Fixture {
        Fixture(
            name: "multi-replica", sections: ["1.3", "1.4"],
            description: "Ops of three replicas in two spaces, interleaved: tables in order of first use, sequence numbers per (space, replica) so seq deltas are relative to each pair's own next, a replica starting at seq 100 (delta +99), milliseconds going backwards (negative delta), and character ids of other replicas.",
            ops: [
                op(a, 1, 5_000, .create(entity: note, kind: .note)),
                op(b, 100, 4_000, .insertText(entity: note, origin: nil, rightOrigin: nil, text: "hi")),
                op(a, 2, 6_000, .insertText(entity: note, origin: dot(b, 101), rightOrigin: nil, text: "!")),
                op(c, 1, 6_000, .create(entity: finding, kind: .finding), space: evidence),
                op(a, 1, 7_000, .addElement(entity: finding, set: "links", element: "finding-12"), space: evidence),
                op(b, 102, 3_000, .deleteText(entity: note, ranges: [CharRange(start: dot(a, 2), count: 1), CharRange(start: dot(b, 100), count: 2)])),
                op(c, 2, 8_000, .removeElement(entity: finding, set: "links", element: "finding-12", observed: [dot(a, 1)]), space: evidence),
                op(a, 3, 9_000, .setField(entity: note, key: "status", value: .string("open"))),
            ])
    }

    static var edges: Fixture {
        let max = UInt64.max
        return Fixture(
            name: "edges", sections: ["1.2", "1.4", "1.5", "1.10"],
            description: "Values at their limits that must be accepted: an insertion whose last seq is 2^64 - 1, a range ending there, a counter of 2^32 - 1, millis 0, and millis 253402300799999 (9999-12-31T23:59:59.999Z, the latest a receiver accepts).",
            ops: [
                Op(id: OpID(space: .team, replica: a, seq: max - 1), timestamp: Timestamp(millis: 0, counter: 0),
                   payload: .insertText(entity: note, origin: nil, rightOrigin: nil, text: "ab")),
                Op(id: OpID(space: .team, replica: b, seq: 1), timestamp: Timestamp(millis: 0, counter: .max),
                   payload: .deleteText(entity: note, ranges: [CharRange(start: dot(a, max - 1), count: 2)])),
                Op(id: OpID(space: .team, replica: b, seq: 2), timestamp: Timestamp(millis: HybridLogicalClock.latestPlausibleMillis, counter: 0),
                   payload: .erased(entity: note, span: max - 1)),
            ])
    }

    static var unicode: Fixture {
        Fixture(
            name: "unicode", sections: ["1.1", "1.2", "6.5"],
            description: "Strings kept byte for byte: a decomposed e + U+0301 (two scalars, never normalised), a flag of two regional indicators (two scalars, one character), CJK and an emoji. Spans count Unicode scalars.",
            ops: [
                op(a, 1, 0, .insertText(entity: note, origin: nil, rightOrigin: nil, text: "Re\u{301}sume\u{301}")),
                op(a, 9, 100, .insertText(entity: note, origin: nil, rightOrigin: dot(a, 1), text: "🇳🇿 訪問 ")),
                op(a, 15, 200, .addElement(entity: note, set: "tags", element: "café")),
                op(a, 16, 300, .addElement(entity: note, set: "tags", element: "cafe\u{301}")),
            ])
    }
}
