import Foundation
@testable import SyncCore

/// What `Tests/Fixtures/protocol/sessions` holds, rendered from `FixtureHellos` and
/// `FixtureTranscripts`. Before rendering, every definition is held to the real code: a HELLO
/// must decode to its fields, a refused one must be refused `malformed`, and a transcript must
/// replay through the state machine exactly, so the generator never writes what the code does
/// not do.
enum SessionFixtureFiles {
    static let folder = "sessions"

    static func render() throws -> [String: String] {
        ["\(folder)/hellos.json": try hellos().rendered, "\(folder)/transcripts.json": try transcripts().rendered]
    }

    static func hellos() throws -> FixtureJSON {
        let hellos = try FixtureHellos.all.map { fixture -> FixtureJSON in
            let canonical = fixture.hello.encode()
            let bytes = fixture.accepted ?? canonical
            guard try Hello.decode(bytes) == fixture.hello else { throw FixtureOps.Invalid("\(fixture.name) does not decode to its HELLO") }
            var members: [(String, FixtureJSON)] = [
                ("name", .string(fixture.name)), ("sections", FixtureFiles.strings(fixture.sections)), ("description", .string(fixture.description)),
                ("hex", .string(FixtureHex.string(bytes))),
            ]
            if fixture.accepted != nil { members.append(("canonical_hex", .string(FixtureHex.string(canonical)))) }
            members.append(("fields", FixtureHelloForm.json(fixture.hello)))
            return .object(members)
        }
        let refused = try FixtureHellos.refused.map { refusal -> FixtureJSON in
            guard let code = refusalCode(refusal.bytes), code == .malformed else { throw FixtureOps.Invalid("\(refusal.name) is not refused as malformed") }
            return .object([("name", .string(refusal.name)), ("section", .string(refusal.section)), ("reason", .string(refusal.reason)),
                            ("wire_code", .string(code.rawValue)), ("hex", .string(FixtureHex.string(refusal.bytes)))])
        }
        return .object([
            ("description", .string("HELLO bodies (Protocol.md 2.5): ones to decode field by field and encode back, and ones to refuse. See README.md.")),
            ("hellos", .array(hellos)), ("refused", .array(refused)),
        ])
    }

    /// The code `Hello.decode` refuses a body with, nil when it decodes.
    static func refusalCode(_ body: [UInt8]) -> SessionError.Code? {
        do { _ = try Hello.decode(body) } catch { return error.code }
        return nil
    }

    static func transcripts() throws -> FixtureJSON {
        let transcripts = try FixtureTranscripts.all.map { script -> FixtureJSON in
            let json = script.json
            let replayed = Result { () throws -> SessionScript.Outcome in
                var replay = try SessionTranscriptReplay(json)
                return try replay.run()
            }
            guard (try? replayed.get()) == script.outcome else {
                throw FixtureOps.Invalid("\(script.name): expected \(script.outcome), got \(replayed)")
            }
            return json
        }
        return .object([
            ("description", .string("Sync sessions (Protocol.md 2.3-2.5, 2.7) seen from one side: what it receives, what it must send, how it ends. See README.md.")),
            ("transcripts", .array(transcripts)),
        ])
    }
}

/// A HELLO body (Protocol.md 2.5) in the fixtures' language-neutral form, written and read back.
///
/// Why every field spelled out: another implementation must be able to check its HELLO decoder
/// field by field, and build the same HELLO from the JSON alone to check its encoder. Versions and
/// seqs are decimal strings (64-bit, as everywhere in the fixtures); ids, chain values, the person
/// secret and rep keys are hex. Vector and base entries are listed in the order the encoder writes
/// them, by replica bytes. `Tests/Fixtures/protocol/README.md` describes the form; keep the two in
/// step.
enum FixtureHelloForm {
    typealias J = FixtureJSON

    static func hex(_ bytes: [UInt8]) -> FixtureJSON { .string(FixtureHex.string(bytes)) }

    static func json(_ hello: Hello) -> FixtureJSON {
        .object([
            ("min_version", FixtureOps.u64(hello.minVersion)), ("max_version", FixtureOps.u64(hello.maxVersion)),
            ("replica", .string(hello.replica.hex)), ("max_frame", FixtureOps.u64(hello.maxFrameBytes)),
            ("spaces", .array(hello.spaces.map(json))),
            ("person", hello.person.map(hex) ?? .null), ("reps", .array(hello.reps.map(hex))),
        ])
    }

    static func json(_ space: HelloSpace) -> FixtureJSON {
        let vector = space.vector.entries.sorted { $0.key < $1.key }.map { replica, seq -> FixtureJSON in
            .object([("replica", .string(replica.hex)), ("seq", FixtureOps.u64(seq)), ("head", space.heads[replica].map(hex) ?? .null)])
        }
        let base = space.base.map { base -> FixtureJSON in
            .array(base.entries.sorted { $0.key < $1.key }.map { .object([("replica", .string($0.key.hex)), ("seq", FixtureOps.u64($0.value))]) })
        }
        return .object([("name", .string(space.space.name)), ("accepts", .bool(space.accepts)), ("vector", .array(vector)), ("base", base ?? .null)])
    }

    // MARK: Reading

    static func hello(_ json: FixtureJSON?) throws -> Hello {
        guard let json, let spaces = json["spaces"]?.arrayValue, let reps = json["reps"]?.arrayValue else {
            throw FixtureOps.Invalid("a HELLO's fields are missing")
        }
        return Hello(minVersion: try FixtureOps.u64(json["min_version"], "min_version"), maxVersion: try FixtureOps.u64(json["max_version"], "max_version"),
                     replica: try FixtureOps.replica(json["replica"]), maxFrameBytes: try FixtureOps.u64(json["max_frame"], "max_frame"),
                     spaces: try spaces.map(space), person: json["person"]?.isNull == false ? try bytes32(json["person"], "person") : nil,
                     reps: try reps.map { try bytes32($0, "rep key") })
    }

    static func space(_ json: FixtureJSON) throws -> HelloSpace {
        guard let entries = json["vector"]?.arrayValue else { throw FixtureOps.Invalid("a space's vector is missing") }
        var vector: [ReplicaID: UInt64] = [:]
        var heads: [ReplicaID: [UInt8]] = [:]
        for entry in entries {
            let replica = try FixtureOps.replica(entry["replica"])
            vector[replica] = try FixtureOps.u64(entry["seq"], "seq")
            if entry["head"]?.isNull == false { heads[replica] = try bytes32(entry["head"], "head") }
        }
        var base: VersionVector? = nil
        if let entries = json["base"]?.arrayValue {
            base = VersionVector(Dictionary(uniqueKeysWithValues: try entries.map { (try FixtureOps.replica($0["replica"]), try FixtureOps.u64($0["seq"], "seq")) }))
        }
        return HelloSpace(space: try SpaceID(try FixtureOps.string(json["name"], "space name")), accepts: try FixtureOps.bool(json["accepts"], "accepts"),
                          vector: VersionVector(vector), heads: heads, base: base)
    }

    static func bytes32(_ json: FixtureJSON?, _ what: String) throws -> [UInt8] {
        let bytes = try ProtocolConformanceTests.bytes(json, what)
        guard bytes.count == 32 else { throw FixtureOps.Invalid("\(what): not 32 bytes") }
        return bytes
    }
}
