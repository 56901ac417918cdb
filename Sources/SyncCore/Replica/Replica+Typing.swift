/// The fast path for typing and backspacing into the note whose edit is still open.
///
/// A keystroke that continues the open edit changes only the text and the open op; making an
/// `Op` value for it only to fold it away again was most of the cost of a keystroke. These
/// paths place the characters directly and fall back to an ordinary op when the keystroke turns
/// out not to continue the edit (typed elsewhere, or before a different neighbour).
extension Replica {
    /// Types `text` at `position` if an insertion into `entity` is open. Returns false when the
    /// general path must handle it.
    func continueTyping(_ text: String, at position: Int, in entity: EntityID) throws(SyncCoreError) -> Bool {
        guard let box = open?.box, open!.isInsertion, open!.entity == entity, !text.isEmpty else { return false }
        let space = open!.id.space
        factory.wallMillis = wallClock()
        let span = text.utf8.count == 1 ? 1 : UInt64(text.unicodeScalarCount)
        let (seq, timestamp) = factory.reserve(span, in: space)
        let neighbours: (origin: CharID?, rightOrigin: CharID?)
        do {
            neighbours = try box.state.text.insert(text, at: position, firstID: Dot(replica: id, seq: seq))
        } catch {
            factory.retract(seq: seq, span: span, in: space)
            throw error
        }
        let lastSeq = open!.lastSeq
        if seq == lastSeq &+ 1, let origin = neighbours.origin, origin.seq == lastSeq, origin.replica == id,
           neighbours.rightOrigin == open!.rightOrigin {
            open!.extendInsertion(with: text, span: span)
        } else {
            let op = Op(
                id: OpID(space: space, replica: id, seq: seq), timestamp: timestamp,
                payload: .insertText(entity: entity, origin: neighbours.origin, rightOrigin: neighbours.rightOrigin, text: text))
            box.state.updated = max(box.state.updated ?? timestamp, timestamp)
            recordLocal(op)
        }
        return true
    }

    /// Deletes `positions` if a deletion in `entity` is open. Returns false when the general
    /// path must handle it.
    func continueDeleting(_ positions: Range<Int>, in entity: EntityID) throws(SyncCoreError) -> Bool {
        guard let box = open?.box, !open!.isInsertion, open!.entity == entity, !positions.isEmpty else { return false }
        try box.state.text.delete(positions, into: &scratchRanges)
        factory.wallMillis = wallClock()
        if scratchRanges.count == 1, open!.extendDeletion(with: scratchRanges[0]) {
            _ = factory.clock.tick(wallMillis: factory.wallMillis)
            return true
        }
        let op = factory.make(.deleteText(entity: entity, ranges: scratchRanges), in: open!.id.space)
        box.state.updated = max(box.state.updated ?? op.timestamp, op.timestamp)
        recordLocal(op)
        return true
    }
}
