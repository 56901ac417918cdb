import Foundation
import Testing
@testable import SyncCore

/// The automerge-paper trace typed into one note on a replica, keystroke by keystroke, as a
/// person would; then its whole history encoded as one batch and applied to a fresh replica,
/// as a peer receiving it by sync would.
@Suite("Replica on a real editing trace", .enabled(if: EditingTrace.url != nil, Comment(rawValue: EditingTrace.absentMessage)))
struct ReplicaTraceTests {
    @Test func typingTheTraceAndSyncingItsEncodedHistoryBothGiveTheFinalText() throws {
        let trace = try EditingTrace.load(from: #require(EditingTrace.url))
        let writer = Replica(id: ReplicaID(high: 7, low: 7), wallClock: { 1_700_000_000_000 })
        let note = try writer.create(.note, in: .team, text: trace.startContent)
        for patch in trace.patches {
            if patch.deleteCount > 0 { try writer.deleteText(patch.position..<(patch.position + patch.deleteCount), in: note) }
            if !patch.inserted.isEmpty { try writer.insertText(patch.inserted, at: patch.position, in: note) }
        }
        #expect(writer.text(of: note) == trace.endContent)

        let history = writer.log(of: .team)
        // Typing is coalesced: far fewer ops than keystrokes.
        #expect(history.count < trace.patches.count / 5)
        let encoded = OpCodec.encode(OpBatch(ops: history))
        let decoded = try OpCodec.decode(encoded, limits: OpCodec.Limits(maxOps: 1 << 24))
        #expect(decoded.ops == history)

        let reader = Replica(id: ReplicaID(high: 8, low: 8), wallClock: { 1_700_000_000_000 })
        let summary = try reader.receive(decoded.ops)
        #expect(summary.waiting == 0 && summary.duplicates == 0)
        #expect(reader.text(of: note) == trace.endContent)
        #expect(reader.versionVector(of: .team) == writer.versionVector(of: .team))
        #expect(reader.state(of: note) == writer.state(of: note))
        print("trace through the replica: \(trace.patches.count) keystrokes, \(history.count) ops, \(encoded.count) bytes encoded")
    }
}
