import Testing
@testable import SyncCore

/// A device granted a space read-only writes nothing the granting replica shows, whoever relays
/// its ops; what others build on its ops still lands (`EntityState.applyMuted`). And a log
/// replayed in `Delivery.causalOrder` rebuilds the state causal delivery built.
@Suite("Muted authors and replay")
struct MutedAuthorTests {
    static let wall: UInt64 = 1_800_000_000_000

    /// B writes a note; C (read-only at the replayer) appends, sets a field and tags it; B,
    /// having seen all that, appends and overwrites C's field. C's clock runs a day ahead, so
    /// B's later ops carry smaller timestamps than the C ops they follow.
    static func story() throws -> (note: EntityID, ops: [Op], b: Replica, c: ReplicaID) {
        let b = Replica(id: ReplicaID(high: 2, low: 2), wallClock: { wall })
        let c = Replica(id: ReplicaID(high: 3, low: 3), wallClock: { wall + 86_400_000 })
        let note = try b.create(text: "From B")
        try c.receive(b.log(of: .team))
        try c.insertText(", edited by C", at: 6, in: note)
        try c.setField("caseload", to: .int(5), on: note)
        try c.addTag("from-c", to: note)
        try b.receive(c.log(of: .team))
        try b.insertText(", then B", at: 19, in: note)
        try b.setField("caseload", to: .int(6), on: note)
        let ops = b.log(of: .team)
        #expect(b.text(of: note) == "From B, edited by C, then B")
        return (note, ops, b, c.id)
    }

    @Test func aMutedAuthorsWritesShowNothingButWhatOthersBuiltOnThemLands() throws {
        let (note, ops, _, c) = try Self.story()
        var state = EntityState(id: note)
        for op in Delivery.causalOrder(ofEntityOps: ops) {
            if op.id.replica == c { state.applyMuted(op) } else { state.apply(op) }
        }
        #expect(state.text.text == "From B, then B")
        #expect(state.field("caseload") == .int(6))
        #expect(state.tags.isEmpty)
        #expect(state.kind == .note && state.author == ReplicaID(high: 2, low: 2))
    }

    @Test func causalOrderRebuildsTheStateWhateverTheLogOrder() throws {
        let (note, ops, b, _) = try Self.story()
        var byStamp = EntityState(id: note)
        for op in ops.sorted(by: { $0.stamp < $1.stamp }) { byStamp.apply(op) }
        #expect(byStamp.text.text != b.text(of: note), "timestamp order is not causal in this story")
        var generator = SplitMix64(seed: 14)
        for round in 0..<50 {
            let shuffled = round == 0 ? ops.sorted { $0.stamp < $1.stamp } : ops.shuffled(using: &generator)
            let ordered = Delivery.causalOrder(ofEntityOps: shuffled)
            #expect(Set(ordered.map(\.id)) == Set(ops.map(\.id)) && ordered.count == ops.count)
            var state = EntityState(id: note)
            for op in ordered { state.apply(op) }
            #expect(state == b.state(of: note)!, "round \(round)")
        }
    }
}
