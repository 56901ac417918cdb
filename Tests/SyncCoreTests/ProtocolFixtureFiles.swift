import Foundation
@testable import SyncCore

/// What the files of `Tests/Fixtures/protocol` hold, rendered from the definitions in
/// `FixtureBatches`, `FixtureRefusals` and `MergeScenario`. The generator writes these; the
/// check compares them with the files, so a definition changed without regenerating fails.
enum FixtureFiles {
    /// `Tests/Fixtures/protocol`, found from this file's path (Tests/SyncCoreTests/ → the root).
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/protocol")
    }

    static func strings(_ values: [String]) -> FixtureJSON { .array(values.map(FixtureJSON.string)) }

    /// Every generated file, by path relative to `directory`.
    static func render() throws -> [String: String] {
        var files: [String: String] = [:]
        for fixture in FixtureBatches.all {
            files["batches/\(fixture.name).json"] = try batch(fixture).rendered
        }
        files["refused.json"] = try refused().rendered
        for scenario in try MergeScenario.all() {
            files["merges/\(scenario.name).json"] = try merge(scenario).rendered
        }
        return files
    }

    static func batch(_ fixture: FixtureBatches.Fixture) throws -> FixtureJSON {
        let canonical = OpCodec.encode(OpBatch(ops: fixture.ops))
        let bytes = fixture.accepted ?? canonical
        guard try OpCodec.decode(bytes).ops == fixture.ops else { throw FixtureOps.Invalid("\(fixture.name) does not decode to its ops") }
        var members: [(String, FixtureJSON)] = [
            ("name", .string(fixture.name)), ("sections", strings(fixture.sections)), ("description", .string(fixture.description)),
            ("hex", .string(FixtureHex.string(bytes))),
        ]
        if fixture.accepted != nil { members.append(("canonical_hex", .string(FixtureHex.string(canonical)))) }
        members.append(("ops", .array(fixture.ops.map(FixtureOps.json))))
        return .object(members)
    }

    static func refused() throws -> FixtureJSON {
        let cases = try FixtureRefusals.all.map { refusal -> FixtureJSON in
            let found = ProtocolConformanceTests.refusal(of: refusal.bytes, batchSpace: refusal.batchSpace)
            guard found.decoder == refusal.code, found.wire == refusal.wire else {
                throw FixtureOps.Invalid("\(refusal.name): expected \(refusal.code?.rawValue ?? "-")/\(refusal.wire), got \(found)")
            }
            var members: [(String, FixtureJSON)] = [
                ("name", .string(refusal.name)), ("section", .string(refusal.section)), ("reason", .string(refusal.reason)),
                ("wire_code", .string(refusal.wire)), ("decoder_code", refusal.code.map { .string($0.rawValue) } ?? .null),
            ]
            if !refusal.alsoConforming.isEmpty { members.append(("also_conforming", strings(refusal.alsoConforming.map(\.rawValue)))) }
            if let space = refusal.batchSpace { members.append(("batch_space", .string(space))) }
            members.append(("hex", .string(FixtureHex.string(refusal.bytes))))
            return .object(members)
        }
        return .object([
            ("description", .string("Byte strings a receiver must refuse (Protocol.md 1.7, 1.8, 1.10, 2.4). See README.md.")),
            ("cases", .array(cases)),
        ])
    }

    static func merge(_ scenario: MergeScenario) throws -> FixtureJSON {
        let receiver = try MergeScenario.replay(scenario.batches.map(\.ops))
        for (claim, holds) in scenario.claims where !holds(receiver) {
            throw FixtureOps.Invalid("\(scenario.name): \"\(claim)\" does not hold")
        }
        let batches = scenario.batches.map { label, ops -> FixtureJSON in
            .object([("label", .string(label)), ("hex", .string(FixtureHex.string(OpCodec.encode(OpBatch(ops: ops))))),
                     ("ops", .array(ops.map(FixtureOps.json)))])
        }
        return .object([
            ("name", .string(scenario.name)), ("sections", strings(scenario.sections)), ("description", .string(scenario.description)),
            ("claims", strings(scenario.claims.map(\.0))), ("batches", .array(batches)), ("expected", FixtureState.json(receiver)),
        ])
    }
}

/// A replica's state in the fixtures' form: every entity as Protocol.md 6.1 describes it, the
/// version vectors (6.3) and the ops held back.
enum FixtureState {
    typealias J = FixtureJSON

    static func json(_ replica: Replica) -> FixtureJSON {
        let vectors = replica.spaces.map { space -> (String, FixtureJSON) in
            (space.name, .object(replica.versionVector(of: space).entries.sorted { $0.key < $1.key }.map { ($0.key.hex, FixtureOps.u64($0.value)) }))
        }
        let held = Set(replica.pendingOps.map(\.id)).sorted().map { id -> FixtureJSON in
            .object([("space", .string(id.space.name)), ("replica", .string(id.replica.hex)), ("seq", FixtureOps.u64(id.seq))])
        }
        return .object([
            ("entities", .array(replica.entities.values.sorted { $0.id < $1.id }.map(json))),
            ("version_vectors", .object(vectors)), ("held_back", .array(held)),
        ])
    }

    static func json(_ timestamp: Timestamp?) -> FixtureJSON {
        timestamp.map { .object([("millis", FixtureOps.u64($0.millis)), ("counter", FixtureOps.u32($0.counter))]) } ?? .null
    }

    static func json(_ register: FieldRegister?) -> FixtureJSON {
        guard let register else { return .null }
        let entries = register.entries.map { entry -> FixtureJSON in
            .object([("value", FixtureOps.json(entry.value)), ("replica", .string(entry.stamp.replica.hex)), ("seq", FixtureOps.u64(entry.seq)),
                     ("millis", FixtureOps.u64(entry.stamp.timestamp.millis)), ("counter", FixtureOps.u32(entry.stamp.timestamp.counter))])
        }
        return .object([("value", FixtureOps.json(register.value)), ("entries", .array(entries))])
    }

    static func json(_ state: EntityState) -> FixtureJSON {
        let fields = state.fields.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }
        let sets = state.sets.sorted { $0.key < $1.key }.map { name, set -> (String, FixtureJSON) in
            (name, .object(set.elements.map { ($0, FixtureOps.json(set.dots(of: $0))) }))
        }
        return .object([
            ("id", .string(state.id.hex)), ("space", state.space.map { .string($0.name) } ?? .null),
            ("kind", state.kind.map { .string($0.description) } ?? .null), ("author", state.author.map { .string($0.hex) } ?? .null),
            ("created", json(state.created)), ("updated", json(state.updated)), ("purged", .bool(state.isPurged)), ("in_bin", .bool(state.isDeleted)),
            ("text", .string(state.text.text)), ("items", .array(items(state.text))), ("fields", .object(fields)), ("sets", .object(sets)),
            ("deleted", json(state.deletion)),
        ])
    }

    /// The text's items in document order, consecutive ids of one replica with one deleted state
    /// joined: `seq` is the first id's, `text` holds one scalar per id.
    static func items(_ text: TextSequence) -> [FixtureJSON] {
        var runs: [(replica: ReplicaID, seq: UInt64, scalars: String.UnicodeScalarView, deleted: Bool)] = []
        for item in text.canonicalItems {
            if let last = runs.last, last.replica == item.id.replica, last.deleted == item.isDeleted,
               last.seq + UInt64(last.scalars.count) == item.id.seq {
                runs[runs.count - 1].scalars.append(item.scalar)
            } else {
                runs.append((item.id.replica, item.id.seq, String.UnicodeScalarView([item.scalar]), item.isDeleted))
            }
        }
        return runs.map { run in
            .object([("replica", .string(run.replica.hex)), ("seq", FixtureOps.u64(run.seq)), ("text", .string(String(run.scalars))),
                     ("deleted", .bool(run.deleted))])
        }
    }
}
