import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// A receiver reads the next frame while it applies a batch, when the peer has begun to send it
/// (`ReadAhead`). What that frame holds must reach the session in the order it came: the batch
/// in hand is applied and acknowledged first.
@Suite("Reading ahead")
struct ReadAheadTests {
    /// A client sends its HELLO, a batch and, at once behind it, a frame header claiming almost
    /// 4 GiB. The server applies the batch, acknowledges it, and only then refuses the frame.
    @Test func aBadFrameBehindABatchIsToldAfterTheBatchIsAcknowledged() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        let texts = (0..<40).map { "Visit \($0): supervision cancelled again." }
        for text in texts { try b.store.addNote(text: text) }
        let sent = try b.store.versionVector(.team)
        let opCount = try b.ops().count
        try a.serving { port in
            let client = try ScriptedClient(b, port: port)
            // An opening turn: the HELLO names the server's vector the batch was made against.
            var hello = try client.hello([.team])
            hello.spaces[0].base = VersionVector()
            let flight = Frame.encode(.hello, hello.encode())
                + Frame.encode(.batch, try client.provedBatch(number: 1, space: .team))
                + [0xFF, 0xFF, 0xFF, 0xF0, 0x01]
            try client.stream.write(flight)
            var types: [MessageType?] = []
            var acknowledged: Ack?
            var refusal: SessionError.Code?
            while refusal == nil {
                let (type, body) = try client.read()
                types.append(MessageType(rawValue: type))
                switch MessageType(rawValue: type) {
                case .ack: acknowledged = try Ack.decode(body)
                case .error: refusal = ErrorMessage.decode(body).code
                default: break
                }
            }
            #expect(types == [.hello, .ack, .error])
            #expect(acknowledged?.number == 1 && acknowledged?.applied == UInt64(opCount))
            #expect(refusal == .frameTooLarge)
        }
        #expect(try a.texts() == texts.sorted())
        #expect(try a.store.versionVector(.team) == sent)
    }

    /// Many batches each way, each mostly read while the one before is applied, converge.
    @Test func batchesReadAheadConverge() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        let fromA = (0..<3_000).map { NoteDraft(text: "From alex \($0): caseload over thirty.", tags: ["a"]) }
        let fromB = (0..<3_000).map { NoteDraft(text: "From bo \($0): no supervision this month.", tags: ["b"]) }
        try a.store.addNotes(fromA)
        try b.store.addNotes(fromB)
        var limits = SyncLimits()
        limits.batchOps = 1_000
        let summary = try a.serving(limits: limits) { port in try b.sync(port: port, limits: limits) }
        #expect(summary.received.batches >= 8 && summary.sent.batches >= 8)
        #expect(try a.texts() == b.texts())
        #expect(try a.texts().count == 6_000)
        #expect(try a.store.versionVectors() == b.store.versionVectors())
    }
}
