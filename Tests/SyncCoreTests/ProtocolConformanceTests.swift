import Foundation
import Testing
@testable import SyncCore

/// Holds the codec and the merge rules to the conformance set in `Tests/Fixtures/protocol`, the
/// files another implementation runs to show it speaks Protocol.md sections 1 and 6.
///
/// The files are the contract: these tests only read them, so a change to the codec that alters
/// a byte, or to the merge rules that alters a note, fails here. To regenerate them after a
/// deliberate change: `FIELDNOTE_WRITE_PROTOCOL_FIXTURES=1 swift test --filter ProtocolConformance`.
@Suite("Protocol conformance fixtures")
struct ProtocolConformanceTests {
    static let writing = ProcessInfo.processInfo.environment["FIELDNOTE_WRITE_PROTOCOL_FIXTURES"] == "1"

    /// Writes the files first when asked, once, before any test reads them.
    static let written: Result<Void, any Error> = Result {
        guard writing else { return }
        let directory = FixtureFiles.directory
        for folder in ["batches", "merges"] {
            let url = directory.appendingPathComponent(folder)
            try? FileManager.default.removeItem(at: url)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        for (path, text) in try FixtureFiles.render() {
            try Data(text.utf8).write(to: directory.appendingPathComponent(path))
        }
    }

    static func read(_ path: String) throws -> FixtureJSON {
        try written.get()
        return try FixtureJSON.parse(Data(contentsOf: FixtureFiles.directory.appendingPathComponent(path)))
    }

    static func files(in folder: String) throws -> [String] {
        try written.get()
        let names = try FileManager.default.contentsOfDirectory(atPath: FixtureFiles.directory.appendingPathComponent(folder).path)
        return names.filter { $0.hasSuffix(".json") }.sorted().map { "\(folder)/\($0)" }
    }

    static func bytes(_ json: FixtureJSON?, _ what: String) throws -> [UInt8] {
        guard let hex = json?.stringValue, let bytes = FixtureHex.bytes(hex) else { throw FixtureOps.Invalid("\(what): no hex") }
        return bytes
    }

    /// What a receiver makes of a BATCH's op bytes, as this implementation's session does: a
    /// decoding error is `malformed` (`Session.checkedOps`), so is an op of another space than
    /// the BATCH names; a timestamp after the year 9999 is `clock_skew`, raised by the clock check
    /// every apply runs (`HybridLogicalClock.check`, through `Replica.receive` here and
    /// `Store.apply` in the store), and then nothing of the batch is applied.
    static func refusal(of bytes: [UInt8], batchSpace: String?) -> (decoder: CodecError.Code?, wire: String?) {
        let batch: OpBatch
        do { batch = try OpCodec.decode(bytes) } catch { return (error.code, "malformed") }
        if let batchSpace, batch.ops.contains(where: { $0.id.space.name != batchSpace }) { return (nil, "malformed") }
        let receiver = Replica(id: ReplicaID(high: 0xEE << 56, low: 0xEE), wallClock: { FixtureBatches.start })
        do { try receiver.receive(batch.ops) } catch {
            guard error.code == .clockSkew, receiver.entities.isEmpty, receiver.spaces.isEmpty else { return (nil, "internal") }
            return (nil, "clock_skew")
        }
        return (nil, nil)
    }

    /// Decoding the hex gives exactly the listed ops, field by field and byte for byte in every
    /// string; encoding the ops gives exactly the hex (or, for an input the encoder writes
    /// otherwise, its `canonical_hex`).
    static func checkBatch(_ json: FixtureJSON, _ what: String) throws -> [Op] {
        let bytes = try bytes(json["hex"], what)
        let ops = try FixtureOps.ops(json["ops"])
        let decoded = try OpCodec.decode(bytes).ops
        #expect(FixtureJSON.array(decoded.map(FixtureOps.json)) == json["ops"], "\(what): the hex decodes to other ops")
        let canonical = json["canonical_hex"] == nil ? bytes : try Self.bytes(json["canonical_hex"], what)
        #expect(FixtureHex.string(OpCodec.encode(OpBatch(ops: ops))) == FixtureHex.string(canonical), "\(what): the ops encode to other bytes")
        return ops
    }

    @Test func batchesDecodeToTheirOpsAndEncodeToTheirBytes() throws {
        let paths = try Self.files(in: "batches")
        #expect(paths.count >= 12)
        for path in paths {
            _ = try Self.checkBatch(try Self.read(path), path)
        }
    }

    @Test func refusedInputsAreRefusedWithTheirWireCodes() throws {
        let cases = try #require(try Self.read("refused.json")["cases"]?.arrayValue)
        #expect(cases.count >= 60)
        for entry in cases {
            let name = try FixtureOps.string(entry["name"], "name")
            let found = Self.refusal(of: try Self.bytes(entry["hex"], name), batchSpace: entry["batch_space"]?.stringValue)
            #expect(found.wire == entry["wire_code"]?.stringValue, "\(name): wire code")
            #expect(found.decoder?.rawValue == entry["decoder_code"]?.stringValue, "\(name): decoder code")
        }
    }

    /// Every scenario's ops, delivered to a fresh replica in every order of its batches (a seeded
    /// 50 when there are more than 720), then op by op in 20 seeded shuffles with duplicates:
    /// Protocol.md 6.3 lets a receiver get ops in any order and more than once.
    @Test func mergeScenariosReachTheirStatesInEveryDeliveryOrder() throws {
        let paths = try Self.files(in: "merges")
        #expect(paths.count >= 8)
        var generator = SplitMix64(seed: 17)
        for path in paths {
            let json = try Self.read(path)
            let batches = try #require(json["batches"]?.arrayValue).map { try Self.checkBatch($0, path) }
            let expected = try #require(json["expected"])
            var orders = batches.count <= 6 ? Self.permutations(of: Array(batches.indices)) : []
            for _ in orders.isEmpty ? 0..<50 : 0..<0 { orders.append(Array(batches.indices).shuffled(using: &generator)) }
            for order in orders {
                let state = FixtureState.json(try MergeScenario.replay(order.map { batches[$0] }))
                #expect(state == expected, "\(path): batches in order \(order)")
            }
            let ops = batches.flatMap { $0 }
            for round in 0..<20 {
                let delivered = (ops + ops.prefix(Int.random(in: 0...ops.count, using: &generator))).shuffled(using: &generator)
                let state = FixtureState.json(try MergeScenario.replay(delivered.map { [$0] }))
                #expect(state == expected, "\(path): ops shuffled, round \(round)")
            }
        }
    }

    /// The files are what the definitions give (and the definitions' own claims about Protocol.md
    /// hold): a definition changed without regenerating, or a file edited by hand, fails here.
    @Test func theFilesAreWhatTheGeneratorWrites() throws {
        let rendered = try FixtureFiles.render()
        let onDisk = try Self.files(in: "batches") + Self.files(in: "merges") + ["refused.json"]
        #expect(Set(onDisk) == Set(rendered.keys))
        for (path, text) in rendered.sorted(by: { $0.key < $1.key }) {
            let file = try String(contentsOf: FixtureFiles.directory.appendingPathComponent(path), encoding: .utf8)
            #expect(Array(file.utf8) == Array(text.utf8), "\(path) differs from what the generator writes")
        }
    }

    static func permutations(of items: [Int]) -> [[Int]] {
        guard let first = items.first else { return [[]] }
        return permutations(of: Array(items.dropFirst())).flatMap { rest in
            (0...rest.count).map { index in var order = rest; order.insert(first, at: index); return order }
        }
    }
}
