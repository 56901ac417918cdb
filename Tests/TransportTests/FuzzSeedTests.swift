import Foundation
import Storage
import SyncCore
import Testing
@testable import Transport

/// The fuzz-wire seeds are real sessions of the protocol spoken now: this builds them from a
/// store (notes, an edit, a field overwritten through its `pred`, a tag) with proofs of
/// authorship, checks that every one decodes whole, and, with `FIELDNOTE_WRITE_FUZZ_SEEDS=1`,
/// writes them to `Fuzz/corpus/fuzz-wire` — run it so after any wire change.
@Suite struct FuzzSeedTests {
    static func frame(_ type: MessageType, _ body: [UInt8]) -> [UInt8] { Frame.encode(type, body) }

    static func seeds() throws -> [String: [UInt8]] {
        let temporary = TemporaryDirectory()
        let (device, _) = try pair(temporary)
        let id = try device.store.addNote(text: "Caseload 31, supervision cancelled", tags: ["supervision"], fields: ["caseload": .int(31)])
        _ = try device.store.editText(note: id, newText: "Caseload 32, supervision cancelled again")
        try device.store.setField(note: id, key: "caseload", value: .int(32))
        _ = try device.store.tag(note: id, add: ["visit"])
        let prover = ChainProver(store: device.store, identity: device.identity)
        try prover.signOwnOps(in: .team)
        let (ops, proofs) = try prover.prove(try device.ops(), space: .team)

        let vector = try device.store.versionVector(.team)
        // A client's HELLO with a base (its opening turn follows it at once), and a server's.
        let clientHello = frame(.hello, Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: device.store.replica,
                                              maxFrameBytes: 1 << 20, spaces: [HelloSpace(space: .team, accepts: true, vector: vector, base: VersionVector())]).encode())
        let hello = frame(.hello, Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: device.store.replica,
                                        maxFrameBytes: 1 << 20, spaces: [HelloSpace(space: .team, accepts: true, vector: vector)]).encode())
        let batch = frame(.batch, BatchHeader.encode(number: 1, space: .team, proofs: proofs, payload: OpCodec.encode(OpBatch(ops: ops))))
        let ack = frame(.ack, Ack(number: 1, applied: UInt64(ops.count), duplicates: 0).encode())
        let done = frame(.done, Done(batches: 1, ops: UInt64(ops.count)).encode())
        return ["hello": clientHello, "batch": batch, "client-session": clientHello + batch + done, "server-session": hello + ack + batch + done]
    }

    @Test func theSeedsAreSessionsOfTheProtocolSpokenNow() throws {
        let seeds = try Self.seeds()
        for (name, bytes) in seeds {
            guard case .roundTripped(let messages) = WireCheck.check(bytes), messages > 0 else {
                Issue.record("\(name): \(WireCheck.check(bytes))"); continue
            }
        }
        guard ProcessInfo.processInfo.environment["FIELDNOTE_WRITE_FUZZ_SEEDS"] == "1" else { return }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for (name, bytes) in seeds {
            try Data(bytes).write(to: root.appendingPathComponent("Fuzz/corpus/fuzz-wire/\(name)"))
        }
    }
}
