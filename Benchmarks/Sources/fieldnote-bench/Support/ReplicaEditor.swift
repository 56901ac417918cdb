import SyncCore

/// The trace's keystrokes as a person typing into one note on an in-memory replica: every edit
/// becomes an op (coalesced while typing continues), exactly as on a device.
struct ReplicaEditor: LocalEditor {
    static let replicaID = ReplicaID(high: 0xF1E1_D407E, low: 2)

    let replica: Replica
    let note: EntityID

    init() {
        replica = Replica(id: ReplicaEditor.replicaID, wallClock: { 1_700_000_000_000 })
        // The note exists before timing matters; creating it is one op.
        note = try! replica.create(.note, in: .team)
    }

    mutating func insert(_ text: String, at position: Int) throws {
        try replica.insertText(text, at: position, in: note)
    }

    mutating func delete(_ positions: Range<Int>) throws {
        try replica.deleteText(positions, in: note)
    }

    var text: String { replica.text(of: note) ?? "" }
    var count: Int { replica.state(of: note)?.text.count ?? 0 }

    /// The whole history of the note's space, encoded as one batch, as sync would send it.
    func encodedHistory() -> [UInt8] {
        OpCodec.encode(OpBatch(ops: replica.log(of: .team)))
    }

    /// A fresh replica receiving an encoded history: decode, then apply under causal delivery.
    static func merge(_ encoded: [UInt8]) throws -> Replica {
        let batch = try OpCodec.decode(encoded, limits: OpCodec.Limits(maxOps: 1 << 24))
        let receiver = Replica(id: ReplicaID(high: 0xF1E1_D407E, low: 3), wallClock: { 1_700_000_000_000 })
        try receiver.receive(batch.ops)
        return receiver
    }
}
