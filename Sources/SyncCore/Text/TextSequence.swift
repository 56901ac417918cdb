/// The body of a note: a sequence CRDT over Unicode scalars.
///
/// Placement follows YjsMod, the variant of Yjs's YATA integration from Joseph Gentle's
/// reference-crdts, which the Fugue paper (Weidner & Kleppmann, 2023) shows to behave as
/// FugueMax: concurrent insertions at one place never interleave character by character, so
/// two workers typing into the same spot offline each keep their sentence whole. Each item
/// names both neighbours it was typed between (`origin`, `rightOrigin`), which is what lets a
/// run of typing be one item: every character's left neighbour is the one before it and all
/// share the right neighbour, so a run is stored and sent as one item, not one per character.
///
/// Notes grow long and their histories longer, so the characters are stored as runs
/// (`TextRun`) in a counted B+tree (`RunTree`) for logarithmic position lookup, with a
/// per-replica index (`SeqIndex`) for logarithmic id lookup, and a cursor remembering the last
/// local edit so that typing and backspacing in one place skip even that. Everything is held
/// in value-type arrays, so a copy is independent of the original by copy on write.
public struct TextSequence: Sendable {
    var tree = RunTree()
    /// Every run's scalars; a run's are contiguous here, which lets typing extend a run in place.
    var content: [Unicode.Scalar] = []
    var replicas = ReplicaTable()
    /// Per replica index: its runs by first sequence number.
    var seqIndex: [SeqIndex] = []
    /// Per replica index: one past the highest sequence number held, so that "is this new id
    /// already here?" is one comparison for the usual fresh id.
    var seqEnd: [UInt64] = []
    /// Where the last local edit happened: a leaf and the visible characters before it.
    var cursor = Cursor()
    /// The run that took the last remote insertion: where the next one from the same typist
    /// most likely hangs, checked before the id index is searched.
    var placedLast: Int32 = -1

    struct Cursor {
        /// -1 when the cursor knows nothing.
        var leaf: Int32 = -1
        /// Visible characters before `leaf`.
        var start = 0
        /// The run last edited, if still visible there, and the visible position of its first
        /// character: typing goes on in the same run, so the next lookup needs no scan at all.
        var run: Int32 = -1
        var runStart = 0
        /// A guess at `run`'s slot in its leaf (-1: none), checked before it is used: finding
        /// the run after it then needs no scan of the leaf.
        var slot = -1
    }

    /// A character's place: its run and its offset in that run.
    struct Location: Equatable {
        var run: Int32
        var offset: Int
    }

    public init() {}

    /// Visible characters.
    public var count: Int { tree.visibleCount }

    public var isEmpty: Bool { count == 0 }

    /// The visible text.
    public var text: String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(count)
        forEachRun { run in
            guard !run.isDeleted else { return }
            for scalar in content[run.content..<(run.content + run.length)] {
                UTF8.encode(scalar) { utf8.append($0) }
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Every character ever inserted and not erased, deleted or not, in document order.
    /// Two replicas that have applied the same ops have equal `canonicalItems`, however their
    /// runs happen to be split.
    public var canonicalItems: [(id: CharID, scalar: Unicode.Scalar, isDeleted: Bool)] {
        var items: [(id: CharID, scalar: Unicode.Scalar, isDeleted: Bool)] = []
        items.reserveCapacity(tree.totalCount)
        forEachRun { run in
            let replica = replicas[run.replica]
            for offset in 0..<run.length {
                items.append((CharID(replica: replica, seq: run.seq + UInt64(offset)),
                              content[run.content + offset], run.isDeleted))
            }
        }
        return items
    }

    public func contains(_ id: CharID) -> Bool {
        guard let replica = replicas.index(of: id.replica) else { return false }
        return location(of: CharRef(replica: replica, seq: id.seq)) != nil
    }

    /// Forgets every character: what a purge does to a note body.
    public mutating func removeAll() {
        self = TextSequence()
    }

    // MARK: Reading helpers

    /// Calls `body` with each run in document order.
    func forEachRun(_ body: (TextRun) -> Void) {
        var leaf: Int32 = 0
        while leaf >= 0 {
            for slot in 0..<tree.childCount(leaf) { body(tree.runs[Int(tree.child(leaf, slot))]) }
            leaf = tree.node(leaf).next
        }
    }

    func charID(_ ref: CharRef) -> CharID? {
        ref.exists ? CharID(replica: replicas[ref.replica], seq: ref.seq) : nil
    }

    /// The reference for `id`, or nil when no character of its replica was ever seen.
    func ref(_ id: CharID) -> CharRef? {
        replicas.index(of: id.replica).map { CharRef(replica: $0, seq: id.seq) }
    }

    func location(of ref: CharRef) -> Location? {
        guard ref.exists, Int(ref.replica) < seqIndex.count else { return nil }
        let candidate = seqIndex[Int(ref.replica)].lookup(ref.seq).atOrBefore
        guard candidate >= 0 else { return nil }
        let run = tree.runs[Int(candidate)]
        guard run.covers(ref) else { return nil }
        return Location(run: candidate, offset: Int(ref.seq - run.seq))
    }

    /// Characters (tombstones included) before the one at `location`.
    func absoluteIndex(_ location: Location) -> Int {
        tree.absoluteIndex(ofRun: location.run) + location.offset
    }

    /// The character right after `location` in document order.
    func location(after location: Location) -> Location? {
        if location.offset + 1 < tree.runs[Int(location.run)].length {
            return Location(run: location.run, offset: location.offset + 1)
        }
        let next = tree.run(after: location.run)
        return next < 0 ? nil : Location(run: next, offset: 0)
    }

    /// The id of the character right after `location` (nil at the end): the right origin of
    /// text inserted just after it.
    func refAfter(_ location: Location?) -> CharRef {
        guard let location else {
            let first = tree.firstRun
            return first < 0 ? .none : tree.runs[Int(first)].id(at: 0)
        }
        guard let next = self.location(after: location) else { return .none }
        return tree.runs[Int(next.run)].id(at: next.offset)
    }

    /// Whether any of the `count` ids from `seq` of `replica` is present.
    func containsAny(replica: Int32, seq: UInt64, count: Int) -> Bool {
        guard Int(replica) < seqEnd.count, seq < seqEnd[Int(replica)] else { return false }
        let (atOrBefore, after) = seqIndex[Int(replica)].lookup(seq)
        if atOrBefore >= 0, tree.runs[Int(atOrBefore)].end > seq { return true }
        return after >= 0 && tree.runs[Int(after)].seq - seq < UInt64(count)
    }

    /// The run holding visible character `position` and the offset in it, starting from the
    /// cursor when the position is in or near the cursor's leaf; moves the cursor there.
    mutating func locateVisible(_ position: Int) -> Location {
        if cursor.run >= 0 {
            let run = tree.runs[Int(cursor.run)]
            if !run.isDeleted, position >= cursor.runStart, position - cursor.runStart < run.length {
                return Location(run: cursor.run, offset: position - cursor.runStart)
            }
        }
        var leaf = cursor.leaf
        var start = cursor.start
        var found = false
        if leaf >= 0 {
            for _ in 0..<4 {
                let visible = tree.node(leaf).visible
                if position < start {
                    let previous = tree.node(leaf).previous
                    guard previous >= 0 else { break }
                    leaf = previous
                    start -= tree.node(leaf).visible
                } else if position >= start + visible {
                    let next = tree.node(leaf).next
                    guard next >= 0 else { break }
                    leaf = next
                    start += visible
                } else {
                    found = true
                    break
                }
            }
        }
        if !found { (leaf, start) = tree.leaf(forVisible: position) }
        let (slot, offset) = tree.run(inLeaf: leaf, visibleOffset: position - start)
        let run = tree.child(leaf, slot)
        cursor = Cursor(leaf: leaf, start: start, run: run, runStart: position - offset, slot: tree.runs[Int(run)].leaf == leaf ? slot : -1)
        return Location(run: run, offset: offset)
    }

    /// The id of the character after `location`, which `locateVisible` just returned (so it is
    /// in the cursor's run): `refAfter`, using and refreshing the cursor's slot guess.
    mutating func refAfterCursor(_ location: Location) -> CharRef {
        let run = tree.runs[Int(location.run)]
        if location.offset + 1 < run.length { return run.id(at: location.offset + 1) }
        guard cursor.run == location.run else { return refAfter(location) }
        let leaf = run.leaf
        var slot = cursor.slot
        if slot < 0 || slot >= tree.childCount(leaf) || tree.child(leaf, slot) != location.run {
            slot = tree.slot(of: location.run, in: leaf)
            cursor.slot = slot
        }
        let next: Int32
        if slot + 1 < tree.childCount(leaf) {
            next = tree.child(leaf, slot + 1)
        } else {
            let following = tree.node(leaf).next
            next = following < 0 ? -1 : tree.child(following, 0)
        }
        return next < 0 ? .none : tree.runs[Int(next)].id(at: 0)
    }
}
