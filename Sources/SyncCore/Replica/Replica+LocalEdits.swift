/// What a person does on this replica, as ops.
extension Replica {
    /// Creates a note (or another kind of entity) in `space`, optionally with a body.
    @discardableResult
    public func create(_ kind: EntityKind = .note, in space: SpaceID = .team, text: String = "") throws(SyncCoreError) -> EntityID {
        factory.wallMillis = currentWall()
        let (state, op) = EntityState.create(kind, in: space, using: &factory)
        install(state)
        recordLocal(op)
        if !text.isEmpty { try insertText(text, at: 0, in: state.id) }
        return state.id
    }

    public func setField(_ key: String, to value: FieldValue, on entity: EntityID) throws(SyncCoreError) {
        try edit(entity) { (state, factory) throws(SyncCoreError) in [try state.setField(key, to: value, using: &factory)] }
    }

    public func addTag(_ tag: String, to entity: EntityID, set: String = FieldKey.tags) throws(SyncCoreError) {
        try edit(entity) { (state, factory) throws(SyncCoreError) in [try state.add(tag, to: set, using: &factory)].compactMap { $0 } }
    }

    public func removeTag(_ tag: String, from entity: EntityID, set: String = FieldKey.tags) throws(SyncCoreError) {
        try edit(entity) { (state, factory) throws(SyncCoreError) in [try state.remove(tag, from: set, using: &factory)].compactMap { $0 } }
    }

    public func insertText(_ text: String, at position: Int, in entity: EntityID) throws(SyncCoreError) {
        if try continueTyping(text, at: position, in: entity) { return }
        try type(into: entity) { (state, factory) throws(SyncCoreError) in try state.insertText(text, at: position, using: &factory) }
    }

    public func deleteText(_ positions: Range<Int>, in entity: EntityID) throws(SyncCoreError) {
        if try continueDeleting(positions, in: entity) { return }
        try type(into: entity) { (state, factory) throws(SyncCoreError) in try state.deleteText(positions, using: &factory) }
    }

    /// Replaces the body with `text` by the smallest set of insertions and deletions.
    public func replaceText(with text: String, in entity: EntityID) throws(SyncCoreError) {
        try edit(entity) { (state, factory) throws(SyncCoreError) in try state.replaceText(with: text, using: &factory) }
    }

    public func setDeleted(_ deleted: Bool, _ entity: EntityID) throws(SyncCoreError) {
        try edit(entity) { (state, factory) throws(SyncCoreError) in [try state.setDeleted(deleted, using: &factory)] }
    }

    public func purge(_ entity: EntityID) throws(SyncCoreError) {
        try edit(entity) { (state, factory) throws(SyncCoreError) in [try state.purge(using: &factory)] }
    }

    public func text(of entity: EntityID) -> String? { boxes[entity]?.state.text.text }

    private func edit(_ entity: EntityID, _ body: (inout EntityState, inout OpFactory) throws(SyncCoreError) -> [Op]) throws(SyncCoreError) {
        let box = try knownBox(entity)
        factory.wallMillis = currentWall()
        let updatedBefore = box.state.updated
        let ops = try body(&box.state, &factory)
        // A folded op keeps the open edit's timestamp, so `updated` counts only the ops that were
        // not folded; otherwise this replica would disagree with every peer that receives them.
        var updated = updatedBefore
        for op in ops where !recordLocal(op) {
            if updated.map({ op.timestamp > $0 }) ?? true { updated = op.timestamp }
        }
        box.state.updated = updated
    }

    /// The keystroke path: one op at most, no intermediate arrays, since the editing trace runs
    /// through here a quarter of a million times.
    private func type(into entity: EntityID, _ body: (inout EntityState, inout OpFactory) throws(SyncCoreError) -> Op?) throws(SyncCoreError) {
        let box = try knownBox(entity)
        factory.wallMillis = currentWall()
        let updatedBefore = box.state.updated
        guard let op = try body(&box.state, &factory) else { return }
        if recordLocal(op) { box.state.updated = updatedBefore }
    }

    private func knownBox(_ entity: EntityID) throws(SyncCoreError) -> EntityBox {
        guard let box = existingBox(entity) else { throw SyncCoreError(.unknownEntity, "no entity \(entity.short) on this replica") }
        return box
    }

    private func currentWall() -> UInt64 { wallClock() }
}
