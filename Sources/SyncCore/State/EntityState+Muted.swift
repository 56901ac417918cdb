/// Ops that count for nothing here, yet must not break what others build on them.
extension EntityState {
    /// Applies an op of a muted author — a device this replica grants the op's space read-only
    /// (Protocol.md 2.8) — so that nothing of it shows: its inserted characters are placed and
    /// deleted at once, so a later insertion next to them, by an author that counts, still finds
    /// its place; every other kind of op changes nothing. Returns false: nothing visible changed.
    @discardableResult
    public mutating func applyMuted(_ op: Op) -> Bool {
        precondition(op.entity == id, "op for \(op.entity) applied to \(id)")
        if let space, space != op.id.space { return false }
        space = op.id.space
        guard case .insertText(_, let origin, let rightOrigin, let inserted) = op.payload,
              !isPurged, accepts(op.id.replica) else { return false }
        let firstID = Dot(replica: op.id.replica, seq: op.id.seq)
        guard text.integrate(inserted, firstID: firstID, origin: origin, rightOrigin: rightOrigin) else { return false }
        text.delete(ranges: [CharRange(start: firstID, count: UInt64(inserted.unicodeScalarCount))])
        return false
    }
}
