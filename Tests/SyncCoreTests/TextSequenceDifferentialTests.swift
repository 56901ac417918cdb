import Testing
@testable import SyncCore

/// The indexed sequence against the naive oracle, step by step, over random edits and random
/// delivery orders.
@Suite("TextSequence against the reference")
struct TextSequenceDifferentialTests {
    /// One simulated replica: its two sequences, its next sequence number, what it has applied.
    struct Peer {
        var id: ReplicaID
        var pair = TextPair()
        var nextSeq: UInt64 = 1
        var applied: Set<Int> = []
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func randomEditsAndDeliveryOrdersAgree(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let peerCount = Int.random(in: 2...4, using: &generator)
        var peers = (0..<peerCount).map { _ in Peer(id: ReplicaID.random(using: &generator)) }
        var log: [(author: Int, op: TextOp)] = []

        for step in 0..<1_500 {
            let who = Int.random(in: 0..<peerCount, using: &generator)
            let roll = Int.random(in: 0..<100, using: &generator)
            var failure: String? = nil
            if roll < 35 {
                let text = roll < 20 ? TextFuzz.alphabet.randomElement(using: &generator)! : TextFuzz.text(using: &generator)
                // Mostly type where the last edit was, like a person does.
                let position = Int.random(in: 0...peers[who].pair.fast.count, using: &generator)
                let firstID = CharID(replica: peers[who].id, seq: peers[who].nextSeq)
                if let op = peers[who].pair.insert(text, at: position, firstID: firstID) {
                    peers[who].nextSeq += UInt64(text.unicodeScalars.count)
                    peers[who].applied.insert(log.count)
                    log.append((who, op))
                } else {
                    failure = "local insert of \(text.debugDescription) at \(position) disagrees"
                }
            } else if roll < 55 {
                let count = peers[who].pair.fast.count
                if count > 0 {
                    let start = Int.random(in: 0..<count, using: &generator)
                    let end = min(count, start + Int.random(in: 1...6, using: &generator))
                    if let op = peers[who].pair.delete(start..<end) {
                        peers[who].applied.insert(log.count)
                        log.append((who, op))
                    } else {
                        failure = "local delete of \(start)..<\(end) disagrees"
                    }
                }
            } else {
                // Deliver something this peer lacks: usually an op it is ready for, sometimes
                // one out of causal order (which must fail or half-apply identically), or one it
                // already has (which must change nothing).
                let missing = log.indices.filter { !peers[who].applied.contains($0) }
                let ready = missing.filter { peers[who].pair.fast.isReady(for: log[$0].op) }
                let pick: Int?
                if roll < 90 { pick = ready.randomElement(using: &generator) }
                else if roll < 95 { pick = missing.randomElement(using: &generator) }
                else { pick = peers[who].applied.randomElement(using: &generator) }
                if let pick {
                    let wasReady = peers[who].pair.fast.isReady(for: log[pick].op)
                    if !peers[who].pair.apply(log[pick].op) { failure = "remote op \(log[pick].op) answers differ" }
                    if wasReady { peers[who].applied.insert(pick) }
                }
            }
            if failure == nil, let mismatch = peers[who].pair.mismatch() { failure = mismatch }
            if failure == nil, step % 10 == 0, let broken = peers[who].pair.fast.brokenInvariant() { failure = broken }
            if let failure {
                Issue.record("seed \(seed), step \(step), peer \(who): \(failure)")
                return
            }
        }

        // Everyone catches up in causal order and all agree.
        for who in peers.indices {
            var progress = true
            while progress {
                progress = false
                for index in log.indices where !peers[who].applied.contains(index) && peers[who].pair.fast.isReady(for: log[index].op) {
                    let agreed = peers[who].pair.apply(log[index].op)
                    #expect(agreed, "seed \(seed)")
                    peers[who].applied.insert(index)
                    progress = true
                }
            }
            #expect(peers[who].applied.count == log.count, "seed \(seed): peer \(who) could not apply everything")
            #expect(peers[who].pair.mismatch() == nil, "seed \(seed): peer \(who) differs from the reference")
        }
        let keys = peers.map { $0.pair.fast.canonicalKey }
        #expect(keys.allSatisfy { $0 == keys[0] }, "seed \(seed): peers did not converge")
    }

    /// Long single-replica sessions: typing runs, backspacing, editing earlier text; the local
    /// paths (cursor, run extension, tombstone merging) against the oracle.
    @Test(arguments: [UInt64(11), 12, 13])
    func longLocalSessionsAgree(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        let replica = ReplicaID.random(using: &generator)
        var pair = TextPair()
        var seq: UInt64 = 1
        var caret = 0
        for step in 0..<4_000 {
            let count = pair.fast.count
            let roll = Int.random(in: 0..<100, using: &generator)
            if roll < 8 { caret = Int.random(in: 0...count, using: &generator) }
            caret = min(caret, count)
            if roll < 70 || count == 0 {
                let text = roll < 60 ? TextFuzz.alphabet.randomElement(using: &generator)! : TextFuzz.text(using: &generator)
                guard pair.insert(text, at: caret, firstID: CharID(replica: replica, seq: seq)) != nil else {
                    Issue.record("seed \(seed), step \(step): insert at \(caret) disagrees")
                    return
                }
                let length = text.unicodeScalars.count
                seq += UInt64(length)
                caret += length
            } else if roll < 90, caret > 0 {
                guard pair.delete((caret - 1)..<caret) != nil else {
                    Issue.record("seed \(seed), step \(step): backspace at \(caret) disagrees")
                    return
                }
                caret -= 1
            } else if caret < count {
                let end = min(count, caret + Int.random(in: 1...4, using: &generator))
                guard pair.delete(caret..<end) != nil else {
                    Issue.record("seed \(seed), step \(step): forward delete at \(caret) disagrees")
                    return
                }
            }
            if step % 7 == 0, let mismatch = pair.mismatch() ?? pair.fast.brokenInvariant() {
                Issue.record("seed \(seed), step \(step): \(mismatch)")
                return
            }
        }
        #expect(pair.mismatch() == nil, "seed \(seed)")
    }
}
