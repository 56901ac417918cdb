@testable import SyncCore

/// Seeded random op batches for codec tests: every payload case, awkward Unicode, extreme
/// numbers, timestamps that jump backwards, sequence numbers near the top of their range, and
/// the typing and backspace runs the compact forms are for. Every batch it makes is valid
/// (sequence numbers from 1, no span past `UInt64.max`, finite doubles, valid names).
struct RandomOps {
    var generator: SplitMix64
    let replicas: [ReplicaID]
    let spaces: [SpaceID]
    let entities: [EntityID]
    private var nextSeq: [OpIDKey: UInt64] = [:]
    private var millis: UInt64

    private struct OpIDKey: Hashable {
        var space: SpaceID
        var replica: ReplicaID
    }

    init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let replicaCount = Int(random.next() % 4) + 1
        replicas = (0..<replicaCount).map { _ in ReplicaID.random(using: &random) }
        let names = ["team", "evidence", "ward-3_north", "a", String(repeating: "z", count: 32)]
        let spaceCount = Int(random.next() % 3) + 1
        spaces = names.shuffled(using: &random).prefix(spaceCount).map { try! SpaceID($0) }
        let entityCount = Int(random.next() % 5) + 1
        entities = (0..<entityCount).map { index in
            EntityID.make(millis: 1_767_225_600_000 + UInt64(index), using: &random)
        }
        generator = random
        millis = 1_767_225_600_000
    }

    // MARK: - Batches

    mutating func batch(maxOps: Int = 40) -> OpBatch {
        let target = Int(generator.next() % UInt64(maxOps + 1))
        var ops: [Op] = []
        while ops.count < target {
            switch generator.next() % 10 {
            case 0, 1: ops.append(contentsOf: typingRun(length: Int(generator.next() % 12) + 1))
            default: ops.append(op())
            }
        }
        return OpBatch(ops: ops)
    }

    /// One op of a random kind, from a random replica in a random space.
    mutating func op() -> Op {
        let space = pick(spaces)
        let replica = pick(replicas)
        let payload = self.payload(entity: pick(entities))
        return Op(id: OpID(space: space, replica: replica, seq: takeSeq(space, replica, span: OpCodec.span(of: payload))),
                  timestamp: timestamp(), payload: payload)
    }

    /// A person typing: an insertion, then single characters (sometimes several) each after
    /// the last, then a few backspaces.
    mutating func typingRun(length: Int) -> [Op] {
        let space = pick(spaces)
        let replica = pick(replicas)
        let entity = pick(entities)
        let rightOrigin = chance(2) ? nil : charID()
        var origin: CharID? = chance(3) ? nil : charID()
        var ops: [Op] = []
        for _ in 0..<length {
            let text = chance(5) ? self.text() : String(pick(Self.typed))
            let seq = takeSeq(space, replica, span: UInt64(text.unicodeScalars.count))
            millis &+= UInt64(generator.next() % 400)
            let counter: UInt32 = chance(8) ? UInt32(truncatingIfNeeded: generator.next() % 5) : 0
            let op = Op(id: OpID(space: space, replica: replica, seq: seq), timestamp: Timestamp(millis: millis, counter: counter),
                        payload: .insertText(entity: entity, origin: origin, rightOrigin: rightOrigin, text: text))
            ops.append(op)
            origin = CharID(replica: replica, seq: OpCodec.lastSeq(seq: seq, span: op.span) ?? seq)
        }
        var target = origin
        for _ in 0..<Int(generator.next() % 4) {
            guard let deleted = target else { break }
            let seq = takeSeq(space, replica, span: 1)
            millis &+= UInt64(generator.next() % 300)
            ops.append(Op(id: OpID(space: space, replica: replica, seq: seq), timestamp: Timestamp(millis: millis, counter: 0),
                          payload: .deleteText(entity: entity, ranges: [CharRange(start: deleted, count: 1)])))
            target = deleted.seq > 1 ? CharID(replica: deleted.replica, seq: deleted.seq - 1) : nil
        }
        return ops
    }

    // MARK: - Payloads

    mutating func payload(entity: EntityID) -> OpPayload {
        switch generator.next() % 9 {
        case 0: return .create(entity: entity, kind: pick(EntityKind.allCases))
        case 1: return .setField(entity: entity, key: key(), value: value(), pred: pred())
        case 2: return .addElement(entity: entity, set: key(), element: text(allowEmpty: true))
        case 3:
            let observed = (0..<Int(generator.next() % 5)).map { _ in charID() }
            return .removeElement(entity: entity, set: key(), element: text(allowEmpty: true), observed: observed)
        case 4:
            return .insertText(entity: entity, origin: chance(3) ? nil : charID(), rightOrigin: chance(2) ? nil : charID(), text: text())
        case 5:
            let ranges = (0..<Int(generator.next() % 4) + 1).map { _ in charRange() }
            return .deleteText(entity: entity, ranges: ranges)
        case 6: return .setDeleted(entity: entity, deleted: chance(2), pred: pred())
        case 7: return .purge(entity: entity)
        default:
            let span = chance(4) ? generator.next() % (1 << 40) + 1 : generator.next() % 20 + 1
            return .erased(entity: entity, span: span)
        }
    }

    /// A register write's pred: mostly one id, sometimes none or several.
    mutating func pred() -> [Dot] {
        (0..<Int(pick([0, 1, 1, 1, 2, 4]))).map { _ in charID() }
    }

    mutating func value() -> FieldValue {
        switch generator.next() % 6 {
        case 0: return .null
        case 1: return .bool(chance(2))
        case 2: return .int(pick([0, -1, 1, 31, -31, Int64.min, Int64.max, Int64(bitPattern: generator.next())]))
        case 3: return .double(double())
        case 4: return .string(text(allowEmpty: true))
        default: return .int(Int64(generator.next() % 200) - 100)
        }
    }

    mutating func double() -> Double {
        if chance(3) {
            return pick([0.0, -0.0, 1.5, -2.25, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
                         -.greatestFiniteMagnitude, .pi, 37.5])
        }
        while true {
            let candidate = Double(bitPattern: generator.next())
            if candidate.isFinite { return candidate }
        }
    }

    static let typed: [Character] = Array("abcdefghijklmnopqrstuvwxyz ABCXYZ.,!?'\n\t0123456789")
    static let pieces: [String] = [
        "a", "Z", " ", "\n", "\r\n", "\u{0}", "\u{7F}", "é", "e\u{301}", "ß", "漢字", "ש", "🙂", "👩🏽‍⚕️", "🇬🇧",
        "\u{FEFF}", "\u{10FFFF}", "\u{E000}", "caseload", "supervision cancelled again",
    ]

    mutating func text(allowEmpty: Bool = false) -> String {
        let count = Int(generator.next() % 6) + (allowEmpty ? 0 : 1)
        return (0..<count).map { _ in pick(Self.pieces) }.joined()
    }

    mutating func key() -> String {
        if chance(2) { return pick([FieldKey.tags, FieldKey.links, "caseload", "hours_worked", "week", "meta.review_date"]) }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789_.")
        let length = chance(6) ? FieldKey.maximumLength : Int(generator.next() % 12) + 1
        return String((0..<length).map { _ in pick(alphabet) })
    }

    mutating func charID() -> CharID {
        let seq: UInt64 = switch generator.next() % 4 {
        case 0: UInt64.max - generator.next() % 4
        case 1: generator.next() | 1
        default: generator.next() % 500 + 1
        }
        // Sometimes a replica that authors no op in the batch.
        let replica = chance(6) ? ReplicaID(high: 0xFFFF, low: generator.next() % 3) : pick(replicas)
        return CharID(replica: replica, seq: seq)
    }

    mutating func charRange() -> CharRange {
        let start = charID()
        let room = UInt64.max - start.seq + 1
        let count = chance(3) ? room - (room > 1 && chance(2) ? 1 : 0) : min(room, generator.next() % 30 + 1)
        return CharRange(start: start, count: count)
    }

    // MARK: - Ids and clocks

    /// The next sequence number of `replica` in `space`: usually the one after its last op,
    /// sometimes a jump (a batch need not hold every op), sometimes right at the top of the range.
    private mutating func takeSeq(_ space: SpaceID, _ replica: ReplicaID, span: UInt64) -> UInt64 {
        let key = OpIDKey(space: space, replica: replica)
        var seq = nextSeq[key] ?? (generator.next() % 100 + 1)
        switch generator.next() % 20 {
        case 0: seq = UInt64.max - span + 1 - generator.next() % 3
        case 1: seq = generator.next() % 1_000_000 + 1
        default: break
        }
        if seq == 0 || OpCodec.lastSeq(seq: seq, span: span) == nil { seq = UInt64.max - span + 1 }
        nextSeq[key] = seq &+ span
        if nextSeq[key] == 0 { nextSeq[key] = 1 }
        return seq
    }

    private mutating func timestamp() -> Timestamp {
        switch generator.next() % 12 {
        case 0: millis = millis &- generator.next() % 100_000  // a clock that went backwards
        case 1: millis = pick([0, UInt64.max, UInt64.max - 1, 1 << 63])
        case 2: millis = generator.next()
        default: millis &+= generator.next() % 5_000
        }
        let counter: UInt32 = chance(4) ? pick([1, 2, UInt32.max, UInt32(truncatingIfNeeded: generator.next())]) : 0
        return Timestamp(millis: millis, counter: counter)
    }

    // MARK: - Helpers

    mutating func chance(_ oneIn: UInt64) -> Bool { generator.next() % oneIn == 0 }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(generator.next() % UInt64(values.count))] }
}
