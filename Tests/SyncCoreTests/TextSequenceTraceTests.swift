import Foundation
import Testing
@testable import SyncCore

/// The automerge-paper editing trace (259,778 keystrokes writing a paper) replayed as local
/// edits, then the history it produced merged into an empty sequence.
@Suite("TextSequence on a real editing trace", .enabled(if: EditingTrace.url != nil, Comment(rawValue: EditingTrace.absentMessage)))
struct TextSequenceTraceTests {
    @Test func replayingAndMergingTheTraceGivesItsFinalText() throws {
        let trace = try EditingTrace.load(from: #require(EditingTrace.url))
        let replica = ReplicaID(high: 1, low: 1)
        var text = TextSequence()
        var seq: UInt64 = 1
        var history: [TextOp] = []
        if !trace.startContent.isEmpty {
            let neighbours = try text.insert(trace.startContent, at: 0, firstID: CharID(replica: replica, seq: seq))
            history.append(.insert(text: trace.startContent, firstID: CharID(replica: replica, seq: seq),
                                   origin: neighbours.origin, rightOrigin: neighbours.rightOrigin))
            seq += UInt64(trace.startContent.unicodeScalars.count)
        }
        for patch in trace.patches {
            if patch.deleteCount > 0 {
                history.append(.delete(try text.delete(patch.position..<(patch.position + patch.deleteCount))))
            }
            if !patch.inserted.isEmpty {
                let firstID = CharID(replica: replica, seq: seq)
                let neighbours = try text.insert(patch.inserted, at: patch.position, firstID: firstID)
                history.append(.insert(text: patch.inserted, firstID: firstID,
                                       origin: neighbours.origin, rightOrigin: neighbours.rightOrigin))
                seq += UInt64(patch.inserted.unicodeScalars.count)
            }
        }
        #expect(text.count == trace.endContent.unicodeScalars.count)
        #expect(text.brokenInvariant() == nil)
        // Typing extends runs: far fewer runs than characters typed.
        #expect(text.tree.runs.count < 40_000)
        print("trace: \(history.count) ops, \(text.tree.runs.count) runs in memory, \(text.tree.totalCount) characters with tombstones")
        #expect(text.text == trace.endContent)

        var merged = TextSequence()
        var refused = 0
        for op in history {
            if case let .insert(inserted, firstID, origin, rightOrigin) = op {
                if !merged.integrate(inserted, firstID: firstID, origin: origin, rightOrigin: rightOrigin) { refused += 1 }
            } else {
                merged.apply(op)
            }
        }
        #expect(refused == 0)
        #expect(merged.text == trace.endContent)
        #expect(merged.canonicalKey == text.canonicalKey)
        #expect(merged.brokenInvariant() == nil)
        print("trace merge: \(merged.tree.runs.count) runs in memory")

        let restored = try TextSequence(serialized: text.serialized())
        #expect(restored.text == trace.endContent)
    }
}
