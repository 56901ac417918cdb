/// Changing runs while keeping the tree, the id index and the scalar buffer in step. Local and
/// remote edits both come down to these.
extension TextSequence {
    /// Longest run whose scalars are copied to the end of the buffer so that it can grow; a
    /// longer one starts a new run instead, which bounds the copying when two replicas' typing
    /// arrives interleaved.
    static let relocationLimit = 256

    /// Adds `run` to the run array and the id index (not yet to the tree).
    mutating func register(_ run: TextRun) -> Int32 {
        let index = Int32(tree.runs.count)
        tree.runs.append(run)
        let replica = Int(run.replica)
        while seqIndex.count <= replica {
            seqIndex.append(SeqIndex())
            seqEnd.append(0)
        }
        seqIndex[replica].insert(run.seq, run: index)
        if run.end > seqEnd[replica] { seqEnd[replica] = run.end }
        return index
    }

    /// Cuts `run` before its character `offset` (0 < offset < length); the new run holding the
    /// second part follows it in the document and is returned.
    @discardableResult
    mutating func split(_ run: Int32, at offset: Int) -> Int32 {
        let original = tree.runs[Int(run)]
        var tail = original
        tail.seq += UInt64(offset)
        tail.content += offset
        tail.length -= offset
        tail.origin = original.id(at: offset - 1)
        tree.runs[Int(run)].length = offset
        tree.addCounts(from: original.leaf, visible: -tail.visibleLength, total: -tail.length)
        let index = register(tail)
        tree.insert(index, after: run)
        return index
    }

    mutating func markDeleted(_ run: Int32) {
        let length = tree.runs[Int(run)].length
        tree.runs[Int(run)].isDeleted = true
        tree.addCounts(from: tree.runs[Int(run)].leaf, visible: -length, total: 0)
    }

    /// Deletes `count` characters of the visible `run` from `offset`.
    ///
    /// Backspacing over what was just typed deletes the end of a run that is followed by the
    /// tombstones of the previous backspace; rather than leave a tombstone run per keystroke,
    /// the tombstone run grows backwards over the deleted characters (and symmetrically for
    /// deleting forwards), as long as the result still describes a single run.
    mutating func deleteVisible(_ run: Int32, offset: Int, count: Int) {
        let original = tree.runs[Int(run)]
        if offset == 0 && count == original.length { return markDeleted(run) }
        if offset == 0 {
            let previous = tree.run(before: run)
            if previous >= 0, tree.runs[Int(previous)].isDeleted {
                var grown = tree.runs[Int(previous)]
                grown.isDeleted = false
                if grown.isContinued(by: original) {
                    tree.runs[Int(previous)].length += count
                    tree.addCounts(from: grown.leaf, visible: 0, total: count)
                    shrinkStart(run, by: count)
                    return
                }
            }
            split(run, at: count)
            return markDeleted(run)
        }
        if offset + count == original.length {
            let next = tree.run(after: run)
            if next >= 0, tree.runs[Int(next)].isDeleted {
                var following = tree.runs[Int(next)]
                following.isDeleted = false
                if original.isContinued(by: following) {
                    tree.runs[Int(run)].length -= count
                    tree.addCounts(from: original.leaf, visible: -count, total: -count)
                    growStart(next, by: count)
                    return
                }
            }
            return markDeleted(split(run, at: offset))
        }
        let middle = split(run, at: offset)
        split(middle, at: count)
        markDeleted(middle)
    }

    /// Drops the first `count` characters of `run`, which now belong to the run before it.
    private mutating func shrinkStart(_ run: Int32, by count: Int) {
        let old = tree.runs[Int(run)]
        let newSeq = old.seq + UInt64(count)
        tree.runs[Int(run)].seq = newSeq
        tree.runs[Int(run)].content += count
        tree.runs[Int(run)].length -= count
        tree.runs[Int(run)].origin = CharRef(replica: old.replica, seq: newSeq - 1)
        tree.addCounts(from: old.leaf, visible: old.isDeleted ? 0 : -count, total: -count)
        seqIndex[Int(old.replica)].rekey(old.seq, to: newSeq)
    }

    /// Takes the last `count` characters of the run before `run` (already removed from it) as
    /// the first characters of `run`.
    private mutating func growStart(_ run: Int32, by count: Int) {
        let old = tree.runs[Int(run)]
        let newSeq = old.seq - UInt64(count)
        tree.runs[Int(run)].seq = newSeq
        tree.runs[Int(run)].content -= count
        tree.runs[Int(run)].length += count
        tree.runs[Int(run)].origin = CharRef(replica: old.replica, seq: newSeq - 1)
        tree.addCounts(from: old.leaf, visible: old.isDeleted ? 0 : count, total: count)
        seqIndex[Int(old.replica)].rekey(old.seq, to: newSeq)
    }

    /// Inserts new characters right after the character at `after` (at the very start when
    /// nil), extending that character's run when they continue it. Returns the run holding them.
    @discardableResult
    mutating func place(
        _ scalars: some Collection<Unicode.Scalar>, replica: Int32, seq: UInt64,
        origin: CharRef, rightOrigin: CharRef, after: Location?
    ) -> Int32 {
        let length = scalars.count
        if let after {
            let left = tree.runs[Int(after.run)]
            if after.offset == left.length - 1, !left.isDeleted, left.replica == replica, left.end == seq,
               left.rightOrigin == rightOrigin, origin == left.last,
               left.content + left.length == content.count || left.length <= TextSequence.relocationLimit {
                if left.content + left.length != content.count {
                    // Copied scalar by scalar: appending a slice of the buffer to itself would
                    // copy the whole buffer, the slice holding a second reference to it.
                    let start = content.count
                    for index in left.content..<(left.content + left.length) { content.append(content[index]) }
                    tree.runs[Int(after.run)].content = start
                }
                content.append(contentsOf: scalars)
                tree.runs[Int(after.run)].length += length
                tree.addCounts(from: left.leaf, visible: length, total: length)
                if left.end + UInt64(length) > seqEnd[Int(replica)] { seqEnd[Int(replica)] = left.end + UInt64(length) }
                return after.run
            }
        }
        let run = TextRun(seq: seq, origin: origin, rightOrigin: rightOrigin, content: content.count,
                          length: length, replica: replica, leaf: -1, isDeleted: false)
        content.append(contentsOf: scalars)
        let index = register(run)
        if let after {
            if after.offset + 1 < tree.runs[Int(after.run)].length { split(after.run, at: after.offset + 1) }
            tree.insert(index, after: after.run)
        } else {
            tree.insertAtStart(index)
        }
        return index
    }

    /// Interns `replica` and makes sure its per-replica tables exist.
    mutating func internReplica(_ replica: ReplicaID) -> Int32 {
        let index = replicas.intern(replica)
        while seqIndex.count <= Int(index) {
            seqIndex.append(SeqIndex())
            seqEnd.append(0)
        }
        return index
    }
}
