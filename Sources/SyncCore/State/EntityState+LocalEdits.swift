/// Local edits: each turns what a person did into ops, applies them, and returns them for the log.
///
/// Validation happens here, before any op exists, so a bad edit throws and leaves both the
/// state and the log untouched.
extension EntityState {
    /// A new entity of `kind` in `space`, with its `create` op; the id is bound to that op.
    public static func create(_ kind: EntityKind, in space: SpaceID, using factory: inout OpFactory) -> (EntityState, Op) {
        let createID = OpID(space: space, replica: factory.replica, seq: factory.peekSeq(in: space))
        let id = EntityID.bound(to: createID, millis: factory.wallMillis)
        var state = EntityState(id: id)
        let op = factory.make(.create(entity: id, kind: kind), in: space)
        state.apply(op)
        return (state, op)
    }

    public mutating func setField(_ key: String, to value: FieldValue, using factory: inout OpFactory) throws(SyncCoreError) -> Op {
        guard FieldKey.isValid(key) else {
            throw SyncCoreError(.invalidFieldKey, "invalid field key \"\(key)\": use 1–64 of a-z 0-9 _ .")
        }
        guard value.isValid else { throw SyncCoreError(.invalidValue, "field \(key) needs a finite number") }
        return try record(.setField(entity: id, key: key, value: value, pred: fields[key].dots), using: &factory)
    }

    /// Adds `element` to a set. Nil when it is already there: adding again would only add a dot.
    public mutating func add(_ element: String, to set: String, using factory: inout OpFactory) throws(SyncCoreError) -> Op? {
        guard FieldKey.isValid(set) else { throw SyncCoreError(.invalidFieldKey, "invalid set name \"\(set)\"") }
        guard !(sets[set]?.contains(element) ?? false) else { return nil }
        return try record(.addElement(entity: id, set: set, element: element), using: &factory)
    }

    /// Removes `element` from a set. Nil when it is not there.
    public mutating func remove(_ element: String, from set: String, using factory: inout OpFactory) throws(SyncCoreError) -> Op? {
        guard let dots = sets[set]?.dots(of: element), !dots.isEmpty else { return nil }
        return try record(.removeElement(entity: id, set: set, element: element, observed: dots), using: &factory)
    }

    public mutating func setDeleted(_ deleted: Bool, using factory: inout OpFactory) throws(SyncCoreError) -> Op {
        try record(.setDeleted(entity: id, deleted: deleted, pred: deletion.dots), using: &factory)
    }

    /// Erases the entity's content on this replica now, and on every replica the op reaches.
    public mutating func purge(using factory: inout OpFactory) throws(SyncCoreError) -> Op {
        try record(.purge(entity: id), using: &factory)
    }

    /// Inserts `inserted` before the visible character at `position`.
    public mutating func insertText(_ inserted: String, at position: Int, using factory: inout OpFactory) throws(SyncCoreError) -> Op? {
        let space = try writableSpace(by: factory.replica)
        guard !inserted.isEmpty else { return nil }
        guard position >= 0, position <= text.count else {
            throw SyncCoreError(.positionOutOfRange, "position \(position) is outside the text (0…\(text.count))")
        }
        let span = UInt64(inserted.unicodeScalarCount)
        let (seq, timestamp) = factory.reserve(span, in: space)
        let firstID = Dot(replica: factory.replica, seq: seq)
        let (origin, rightOrigin) = try text.insert(inserted, at: position, firstID: firstID)
        let op = Op(
            id: OpID(space: space, replica: factory.replica, seq: seq), timestamp: timestamp,
            payload: .insertText(entity: id, origin: origin, rightOrigin: rightOrigin, text: inserted))
        noteApplied(op)
        return op
    }

    /// Deletes the visible characters at `positions`.
    public mutating func deleteText(_ positions: Range<Int>, using factory: inout OpFactory) throws(SyncCoreError) -> Op? {
        let space = try writableSpace(by: factory.replica)
        guard positions.lowerBound >= 0, positions.upperBound <= text.count else {
            throw SyncCoreError(.positionOutOfRange, "range \(positions) is outside the text (0…\(text.count))")
        }
        guard !positions.isEmpty else { return nil }
        let ranges = try text.delete(positions)
        let op = factory.make(.deleteText(entity: id, ranges: ranges), in: space)
        noteApplied(op)
        return op
    }

    /// Replaces the whole body with `newText` through the smallest set of insertions and
    /// deletions, so that words a colleague added concurrently elsewhere in the note survive.
    public mutating func replaceText(with newText: String, using factory: inout OpFactory) throws(SyncCoreError) -> [Op] {
        _ = try writableSpace(by: factory.replica)
        var ops: [Op] = []
        // Hunks come last-first, so applying one never moves the positions of those still to come.
        for hunk in TextDiff.hunks(from: Array(text.text.unicodeScalars), to: Array(newText.unicodeScalars)).reversed() {
            if let op = try deleteText(hunk.oldRange, using: &factory) { ops.append(op) }
            var inserted = String.UnicodeScalarView()
            inserted.append(contentsOf: hunk.newScalars)
            if let op = try insertText(String(inserted), at: hunk.oldRange.lowerBound, using: &factory) { ops.append(op) }
        }
        return ops
    }

    /// The space to write in, once this replica may write here at all.
    private func writableSpace(by replica: ReplicaID) throws(SyncCoreError) -> SpaceID {
        guard accepts(replica) else {
            throw SyncCoreError(.notAuthor, "evidence record \(id.short) was reported from another device; only that device can change or withdraw it")
        }
        guard !isPurged else { throw SyncCoreError(.entityPurged, "\(kind.map(String.init(describing:)) ?? "entity") \(id.short) has been purged") }
        guard let space else { throw SyncCoreError(.unknownEntity, "\(id.short) has no create op on this device") }
        return space
    }

    private mutating func record(_ payload: OpPayload, using factory: inout OpFactory) throws(SyncCoreError) -> Op {
        let op = factory.make(payload, in: try writableSpace(by: factory.replica))
        apply(op)
        return op
    }

    /// Bookkeeping for text ops, whose effect on `text` already happened while they were made.
    private mutating func noteApplied(_ op: Op) {
        if updated.map({ op.timestamp > $0 }) ?? true { updated = op.timestamp }
    }
}
