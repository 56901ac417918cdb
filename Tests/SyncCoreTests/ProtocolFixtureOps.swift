@testable import SyncCore

/// Ops written out field by field in the fixtures' language-neutral form, and read back.
///
/// Why a form of our own rather than `Op`'s description: another implementation must be able to
/// build the same op from the JSON alone. Ids are hex, 64-bit integers are decimal strings (a
/// JSON number loses precision past 2⁵³ in many languages, and sequence numbers reach 2⁶⁴ − 1),
/// 32-bit ones are numbers, and every payload names its kind with the names of Protocol.md 1.4.
/// `Tests/Fixtures/protocol/README.md` describes the form; keep the two in step.
enum FixtureOps {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func u64(_ value: UInt64) -> FixtureJSON { .string(String(value)) }
    static func u32(_ value: UInt32) -> FixtureJSON { .number(Int64(value)) }

    static func json(_ dot: Dot) -> FixtureJSON {
        .object([("replica", .string(dot.replica.hex)), ("seq", u64(dot.seq))])
    }

    static func json(_ dots: [Dot]) -> FixtureJSON { .array(dots.map(json)) }

    static func json(_ value: FieldValue) -> FixtureJSON {
        switch value {
        case .null: .object([("type", .string("null"))])
        case .bool(let flag): .object([("type", .string("bool")), ("value", .bool(flag))])
        case .int(let number): .object([("type", .string("int")), ("value", .string(String(number)))])
        case .double(let number): .object([("type", .string("double")), ("bits", .string(FixtureHex.string(number.bitPattern.bigEndianBytes)))])
        case .string(let string): .object([("type", .string("string")), ("value", .string(string))])
        }
    }

    static func json(_ op: Op) -> FixtureJSON {
        .object([
            ("space", .string(op.id.space.name)), ("replica", .string(op.id.replica.hex)), ("seq", u64(op.id.seq)),
            ("millis", u64(op.timestamp.millis)), ("counter", u32(op.timestamp.counter)), ("payload", json(op.payload)),
        ])
    }

    static func json(_ payload: OpPayload) -> FixtureJSON {
        func object(_ kind: String, _ members: (String, FixtureJSON)...) -> FixtureJSON {
            .object([("kind", .string(kind)), ("entity", .string(payload.entity.hex))] + members)
        }
        switch payload {
        case .create(_, let kind): return object("create", ("entity_kind", .string(kind.description)))
        case .setField(_, let key, let value, let pred): return object("setField", ("key", .string(key)), ("value", json(value)), ("pred", json(pred)))
        case .addElement(_, let set, let element): return object("addElement", ("set", .string(set)), ("element", .string(element)))
        case .removeElement(_, let set, let element, let observed):
            return object("removeElement", ("set", .string(set)), ("element", .string(element)), ("observed", json(observed)))
        case .insertText(_, let origin, let rightOrigin, let text):
            return object("insertText", ("origin", origin.map(json) ?? .null), ("right_origin", rightOrigin.map(json) ?? .null), ("text", .string(text)))
        case .deleteText(_, let ranges):
            return object("deleteText", ("ranges", .array(ranges.map { .object([("start", json($0.start)), ("count", u64($0.count))]) })))
        case .setDeleted(_, let deleted, let pred): return object("setDeleted", ("deleted", .bool(deleted)), ("pred", json(pred)))
        case .purge: return object("purge")
        case .erased(_, let span): return object("erased", ("span", u64(span)))
        }
    }

    // MARK: Reading

    static func string(_ json: FixtureJSON?, _ what: String) throws -> String {
        guard let value = json?.stringValue else { throw Invalid("\(what): a string is missing") }
        return value
    }

    static func u64(_ json: FixtureJSON?, _ what: String) throws -> UInt64 {
        guard let value = UInt64(try string(json, what)) else { throw Invalid("\(what): not a decimal 64-bit number") }
        return value
    }

    static func bool(_ json: FixtureJSON?, _ what: String) throws -> Bool {
        guard case .bool(let flag) = json else { throw Invalid("\(what): not true or false") }
        return flag
    }

    static func replica(_ json: FixtureJSON?) throws -> ReplicaID {
        guard let id = ReplicaID(hex: try string(json, "replica")) else { throw Invalid("replica: not 32 hex digits") }
        return id
    }

    static func dot(_ json: FixtureJSON?) throws -> Dot {
        Dot(replica: try replica(json?["replica"]), seq: try u64(json?["seq"], "seq"))
    }

    static func dots(_ json: FixtureJSON?) throws -> [Dot] {
        guard let items = json?.arrayValue else { throw Invalid("a list of dots is missing") }
        return try items.map(dot)
    }

    static func value(_ json: FixtureJSON?) throws -> FieldValue {
        switch try string(json?["type"], "value type") {
        case "null": return .null
        case "bool": return .bool(try bool(json?["value"], "bool value"))
        case "int":
            guard let number = Int64(try string(json?["value"], "int value")) else { throw Invalid("int value: not a decimal") }
            return .int(number)
        case "double":
            guard let bytes = FixtureHex.bytes(try string(json?["bits"], "double bits")), bytes.count == 8 else {
                throw Invalid("double bits: not 16 hex digits")
            }
            return .double(Double(bitPattern: bytes.reduce(0) { $0 << 8 | UInt64($1) }))
        case "string": return .string(try string(json?["value"], "string value"))
        case let other: throw Invalid("unknown value type \(other)")
        }
    }

    static func op(_ json: FixtureJSON) throws -> Op {
        let space = try SpaceID(try string(json["space"], "space"))
        let id = OpID(space: space, replica: try replica(json["replica"]), seq: try u64(json["seq"], "seq"))
        guard case .number(let counter) = json["counter"], let narrow = UInt32(exactly: counter) else { throw Invalid("counter: not a 32-bit number") }
        return Op(id: id, timestamp: Timestamp(millis: try u64(json["millis"], "millis"), counter: narrow), payload: try payload(json["payload"]))
    }

    static func payload(_ json: FixtureJSON?) throws -> OpPayload {
        guard let entity = EntityID(hex: try string(json?["entity"], "entity")) else { throw Invalid("entity: not 32 hex digits") }
        func optionalDot(_ key: String) throws -> Dot? { json?[key]?.isNull ?? true ? nil : try dot(json?[key]) }
        switch try string(json?["kind"], "payload kind") {
        case "create":
            let name = try string(json?["entity_kind"], "entity_kind")
            guard let kind = EntityKind.allCases.first(where: { $0.description == name }) else { throw Invalid("unknown entity kind \(name)") }
            return .create(entity: entity, kind: kind)
        case "setField":
            return .setField(entity: entity, key: try string(json?["key"], "key"), value: try value(json?["value"]), pred: try dots(json?["pred"]))
        case "addElement":
            return .addElement(entity: entity, set: try string(json?["set"], "set"), element: try string(json?["element"], "element"))
        case "removeElement":
            return .removeElement(entity: entity, set: try string(json?["set"], "set"), element: try string(json?["element"], "element"),
                                  observed: try dots(json?["observed"]))
        case "insertText":
            return .insertText(entity: entity, origin: try optionalDot("origin"), rightOrigin: try optionalDot("right_origin"),
                               text: try string(json?["text"], "text"))
        case "deleteText":
            guard let ranges = json?["ranges"]?.arrayValue else { throw Invalid("ranges are missing") }
            return .deleteText(entity: entity, ranges: try ranges.map { CharRange(start: try dot($0["start"]), count: try u64($0["count"], "count")) })
        case "setDeleted":
            return .setDeleted(entity: entity, deleted: try bool(json?["deleted"], "deleted"), pred: try dots(json?["pred"]))
        case "purge": return .purge(entity: entity)
        case "erased": return .erased(entity: entity, span: try u64(json?["span"], "span"))
        case let other: throw Invalid("unknown payload kind \(other)")
        }
    }

    static func ops(_ json: FixtureJSON?) throws -> [Op] {
        guard let items = json?.arrayValue else { throw Invalid("a list of ops is missing") }
        return try items.map(op)
    }
}

extension UInt64 {
    var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * UInt64($0))) } }
}
