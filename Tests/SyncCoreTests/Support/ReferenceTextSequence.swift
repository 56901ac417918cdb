import SyncCore

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
/// This is the first, naive implementation: one element per character in an array, linear
/// scans everywhere. It is kept unchanged in behaviour as the oracle that the run-length
/// encoded, indexed `TextSequence` is tested against, because its simplicity is what makes it
/// believable.
struct ReferenceTextSequence: Sendable {
    struct Item: Sendable, Equatable {
        var id: CharID
        var origin: CharID?
        var rightOrigin: CharID?
        var scalar: Unicode.Scalar
        var isDeleted: Bool
    }

    var items: [Item] = []
    var count: Int = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    /// The visible text.
    var text: String {
        var view = String.UnicodeScalarView()
        for item in items where !item.isDeleted { view.append(item.scalar) }
        return String(view)
    }

    /// Every character ever inserted and not erased, deleted or not, in document order.
    /// Two replicas that have applied the same ops have equal `canonicalItems`.
    var canonicalItems: [(id: CharID, scalar: Unicode.Scalar, isDeleted: Bool)] {
        items.map { ($0.id, $0.scalar, $0.isDeleted) }
    }

    func contains(_ id: CharID) -> Bool { index(of: id) != nil }

    // MARK: Local edits

    /// Inserts `text` before the visible character at `position` (or at the end), naming its
    /// characters `firstID`, `firstID.seq + 1`, …, and returns the neighbours for the op.
    mutating func insert(
        _ text: String, at position: Int, firstID: CharID
    ) throws(SyncCoreError) -> (origin: CharID?, rightOrigin: CharID?) {
        guard position >= 0, position <= count else {
            throw SyncCoreError(.positionOutOfRange, "position \(position) is outside the text (0…\(count))")
        }
        // The new text goes right after the visible character before `position`, and before
        // whatever item (visible or not) follows that one.
        let insertIndex = position == 0 ? 0 : visibleIndex(position - 1) + 1
        let origin = insertIndex == 0 ? nil : items[insertIndex - 1].id
        let rightOrigin = insertIndex < items.count ? items[insertIndex].id : nil
        integrate(text, firstID: firstID, origin: origin, rightOrigin: rightOrigin)
        return (origin, rightOrigin)
    }

    /// Deletes the visible characters at `positions` and returns their ids as ranges, in document order.
    mutating func delete(_ positions: Range<Int>) throws(SyncCoreError) -> [CharRange] {
        guard positions.lowerBound >= 0, positions.upperBound <= count else {
            throw SyncCoreError(.positionOutOfRange, "range \(positions) is outside the text (0…\(count))")
        }
        guard !positions.isEmpty else { return [] }
        var ranges: [CharRange] = []
        var index = visibleIndex(positions.lowerBound)
        var remaining = positions.count
        while remaining > 0 {
            if !items[index].isDeleted {
                items[index].isDeleted = true
                count -= 1
                remaining -= 1
                let id = items[index].id
                if let last = ranges.last, last.replica == id.replica, last.lastSeq + 1 == id.seq {
                    ranges[ranges.count - 1].count += 1
                } else {
                    ranges.append(CharRange(start: id, count: 1))
                }
            }
            index += 1
        }
        return ranges
    }

    // MARK: Remote edits

    /// Places a run of characters made elsewhere. Characters already present are skipped, so
    /// applying an insertion twice changes nothing.
    ///
    /// - Returns: false when `origin` or `rightOrigin` is not in this text (the op is then inert).
    @discardableResult
    mutating func integrate(_ text: String, firstID: CharID, origin: CharID?, rightOrigin: CharID?) -> Bool {
        var origin = origin
        var seq = firstID.seq
        for scalar in text.unicodeScalars {
            let id = CharID(replica: firstID.replica, seq: seq)
            if !contains(id) {
                guard integrateOne(Item(id: id, origin: origin, rightOrigin: rightOrigin, scalar: scalar, isDeleted: false))
                else { return false }
            }
            origin = id
            seq += 1
        }
        return true
    }

    /// Marks the named characters deleted; ids not present are ignored. Returns how many became deleted.
    @discardableResult
    mutating func delete(ranges: [CharRange]) -> Int {
        var deleted = 0
        for range in ranges {
            for seq in range.start.seq..<(range.start.seq + range.count) {
                if let index = index(of: CharID(replica: range.replica, seq: seq)), !items[index].isDeleted {
                    items[index].isDeleted = true
                    count -= 1
                    deleted += 1
                }
            }
        }
        return deleted
    }

    /// Forgets every character: what a purge does to a note body.
    mutating func removeAll() {
        items = []
        count = 0
    }

    // MARK: Internals

    private func visibleIndex(_ position: Int) -> Int {
        var seen = 0
        for (index, item) in items.enumerated() where !item.isDeleted {
            if seen == position { return index }
            seen += 1
        }
        preconditionFailure("visible position \(position) beyond \(count)")
    }

    private func index(of id: CharID) -> Int? {
        items.firstIndex { $0.id == id }
    }

    /// YjsMod integration: scan the items between the new item's neighbours and stop before the
    /// first one that must come after it.
    private mutating func integrateOne(_ item: Item) -> Bool {
        let left: Int
        if let origin = item.origin {
            guard let found = index(of: origin) else { return false }
            left = found
        } else {
            left = -1
        }
        let right: Int
        if let rightOrigin = item.rightOrigin {
            guard let found = index(of: rightOrigin) else { return false }
            right = found
        } else {
            right = items.count
        }
        var destination = left + 1
        var scanning = false
        var index = left + 1
        while true {
            if !scanning { destination = index }
            if index == items.count || index == right { break }
            let other = items[index]
            let otherLeft = other.origin.flatMap { self.index(of: $0) } ?? -1
            let otherRight = other.rightOrigin.flatMap { self.index(of: $0) } ?? items.count
            if otherLeft < left {
                break
            } else if otherLeft == left {
                if otherRight < right {
                    scanning = true
                } else if otherRight == right {
                    if item.id.replica < other.id.replica { break }
                    scanning = false
                } else {
                    scanning = false
                }
            }
            index += 1
        }
        items.insert(item, at: destination)
        count += 1
        return true
    }
}
