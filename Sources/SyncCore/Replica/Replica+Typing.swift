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
        guard let edit = open, edit.isInsertion, edit.entity == entity, !text.isEmpty,
              let box = boxes[entity] else { return false }
        let space = edit.id.space
        factory.wallMillis = wallClock()
        let span = UInt64(text.unicodeScalars.count)
        let (seq, timestamp) = factory.reserve(span, in: space)
        let neighbours: (origin: CharID?, rightOrigin: CharID?)
        do {
            neighbours = try box.state.text.insert(text, at: position, firstID: Dot(replica: id, seq: seq))
        } catch {
            factory.retract(seq: seq, span: span, in: space)
            throw error
        }
        if seq == edit.lastSeq + 1, neighbours.origin == Dot(replica: id, seq: edit.lastSeq),
           neighbours.rightOrigin == edit.rightOrigin {
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
        guard let edit = open, !edit.isInsertion, edit.entity == entity, !positions.isEmpty,
              let box = boxes[entity] else { return false }
        let ranges = try box.state.text.delete(positions)
        if ranges.count == 1, open!.extendDeletion(with: ranges[0]) {
            factory.wallMillis = wallClock()
            _ = factory.clock.tick(wallMillis: factory.wallMillis)
            return true
        }
        factory.wallMillis = wallClock()
        let op = factory.make(.deleteText(entity: entity, ranges: ranges), in: edit.id.space)
        box.state.updated = max(box.state.updated ?? op.timestamp, op.timestamp)
        recordLocal(op)
        return true
    }
}
