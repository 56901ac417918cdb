/// Edits made on this device, addressed by visible position.
extension TextSequence {
    /// Inserts `text` before the visible character at `position` (or at the end), naming its
    /// characters `firstID`, `firstID.seq + 1`, …, and returns the neighbours for the op.
    ///
    /// Typing continues the run of the previous keystroke whenever that keystroke's run still
    /// ends right there and the new ids follow on, so a typed paragraph stays one run.
    public mutating func insert(
        _ text: String, at position: Int, firstID: CharID
    ) throws(SyncCoreError) -> (origin: CharID?, rightOrigin: CharID?) {
        guard position >= 0, position <= count else {
            throw SyncCoreError(.positionOutOfRange, "position \(position) is outside the text (0…\(count))")
        }
        // The new text goes right after the visible character before `position`, and before
        // whatever character (visible or not) follows that one.
        let after: Location? = position == 0 ? nil : locateVisible(position - 1)
        let originRef = after.map { tree.runs[Int($0.run)].id(at: $0.offset) } ?? .none
        let rightRef = after.map { refAfterCursor($0) } ?? refAfter(nil)
        let neighbours = (origin: charID(originRef), rightOrigin: charID(rightRef))
        // One ASCII character, the usual keystroke, skips the walk over Unicode scalars.
        let single: Unicode.Scalar? = text.utf8.count == 1 ? Unicode.Scalar(text.utf8.first!) : nil
        let length = single == nil ? text.unicodeScalarCount : 1
        guard length > 0 else { return neighbours }
        guard firstID.seq <= UInt64.max - UInt64(length) else {
            throw SyncCoreError(.invalidOp, "\(length) characters from \(firstID) run past the last sequence number")
        }
        let replica = internReplica(firstID.replica)
        if containsAny(replica: replica, seq: firstID.seq, count: length) {
            // Some of these ids already name characters; the general path skips those as it
            // would for a repeated remote op.
            integrate(text, firstID: firstID, origin: neighbours.origin, rightOrigin: neighbours.rightOrigin)
            return neighbours
        }
        let placed = if let single {
            place(CollectionOfOne(single), replica: replica, seq: firstID.seq, origin: originRef, rightOrigin: rightRef, after: after)
        } else {
            place(text.unicodeScalars, replica: replica, seq: firstID.seq, origin: originRef, rightOrigin: rightRef, after: after)
        }
        if after == nil {
            // Text put at the very start moved every leaf's start but leaf 0's.
            cursor = Cursor(leaf: 0, start: 0, run: placed, runStart: 0)
        } else if placed != after?.run {
            cursor.run = placed
            cursor.runStart = position
            cursor.slot = -1
        }
        return neighbours
    }

    /// Deletes the visible characters at `positions` and returns their ids as ranges, in
    /// document order, ids that follow on from the previous range merged into it.
    public mutating func delete(_ positions: Range<Int>) throws(SyncCoreError) -> [CharRange] {
        var ranges: [CharRange] = []
        try delete(positions, into: &ranges)
        return ranges
    }

    /// `delete(_:)` into a buffer the caller keeps, which is emptied first: a keystroke that
    /// deletes reuses its storage instead of allocating an array.
    mutating func delete(_ positions: Range<Int>, into ranges: inout [CharRange]) throws(SyncCoreError) {
        guard positions.lowerBound >= 0, positions.upperBound <= count else {
            throw SyncCoreError(.positionOutOfRange, "range \(positions) is outside the text (0…\(count))")
        }
        ranges.removeAll(keepingCapacity: true)
        guard !positions.isEmpty else { return }
        var location = locateVisible(positions.lowerBound)
        // Runs change shape below; the leaf part of the cursor stays true, the run part not.
        cursor.run = -1
        var remaining = positions.count
        while true {
            let run = tree.runs[Int(location.run)]
            guard !run.isDeleted else {
                location = Location(run: tree.run(after: location.run), offset: 0)
                continue
            }
            let taken = min(run.length - location.offset, remaining)
            remaining -= taken
            let next = remaining == 0 ? -1 : tree.run(after: location.run)
            deleteVisible(location.run, offset: location.offset, count: taken)
            let replica = replicas[run.replica]
            let start = run.seq + UInt64(location.offset)
            if let last = ranges.last, last.replica == replica, last.start.seq + last.count == start {
                ranges[ranges.count - 1].count += UInt64(taken)
            } else {
                ranges.append(CharRange(start: CharID(replica: replica, seq: start), count: UInt64(taken)))
            }
            if remaining == 0 { return }
            location = Location(run: next, offset: 0)
        }
    }
}
