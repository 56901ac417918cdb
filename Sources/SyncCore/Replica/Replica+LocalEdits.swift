/// What a person does on this replica, as ops.
extension Replica {
    /// Creates a note (or another kind of entity) in `space`, optionally with a body.
    @discardableResult
    public func create(_ kind: EntityKind = .note, in space: SpaceID = .team, text: String = "") throws(SyncCoreError) -> EntityID {
        factory.wallMillis = currentWall()
        let (state, op) = EntityState.create(kind, in: space, using: &factory)
        entities[state.id] = state
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
        try edit(entity) { (state, factory) throws(SyncCoreError) in [try state.insertText(text, at: position, using: &factory)].compactMap { $0 } }
    }

    public func deleteText(_ positions: Range<Int>, in entity: EntityID) throws(SyncCoreError) {
        try edit(entity) { (state, factory) throws(SyncCoreError) in [try state.deleteText(positions, using: &factory)].compactMap { $0 } }
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

    public func text(of entity: EntityID) -> String? { entities[entity]?.text.text }

    private func edit(_ entity: EntityID, _ body: (inout EntityState, inout OpFactory) throws(SyncCoreError) -> [Op]) throws(SyncCoreError) {
        guard entities[entity] != nil else { throw SyncCoreError(.unknownEntity, "no entity \(entity.short) on this replica") }
        factory.wallMillis = currentWall()
        let updatedBefore = entities[entity]!.updated
        let ops = try body(&entities[entity]!, &factory)
        // A folded op keeps the open edit's timestamp, so `updated` counts only the ops that were
        // not folded; otherwise this replica would disagree with every peer that receives them.
        var updated = updatedBefore
        for op in ops where !recordLocal(op) {
            if updated.map({ op.timestamp > $0 }) ?? true { updated = op.timestamp }
        }
        entities[entity]!.updated = updated
    }

    private func currentWall() -> UInt64 { wallClock() }
}
