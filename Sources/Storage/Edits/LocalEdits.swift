import Foundation
import GRDB
import SyncCore

/// Local edits. Each method is one transaction: load the entity, let SyncCore's local-edit
/// methods turn the change into ops (numbered and stamped by an `OpFactory` seeded from the
/// stored vectors and clock), then write the ops and the new state together.
extension Store {
    /// Creates a note and returns its id.
    @discardableResult
    public func addNote(
        text: String, space: SpaceID = .team, caseToken: String? = nil,
        tags: [String] = [], fields: [String: FieldValue] = [:]
    ) throws(StoreError) -> EntityID {
        try addNotes([NoteDraft(text: text, space: space, caseToken: caseToken, tags: tags, fields: fields)])[0]
    }

    /// Creates many notes (or findings, or evidence records: see `NoteDraft.kind`) in one
    /// transaction (bulk import, benchmarks), returning their ids in order.
    /// Every draft is checked before anything is written: one bad draft refuses them all.
    @discardableResult
    public func addNotes(_ drafts: [NoteDraft]) throws(StoreError) -> [EntityID] {
        let checked = try drafts.map(DraftRules.checked)
        return try write { session in
            var factory = try session.makeFactory()
            var knownCases = Set<String>()
            var ids: [EntityID] = []
            ids.reserveCapacity(checked.count)
            for draft in checked {
                var (state, create) = EntityState.create(draft.kind, in: draft.space, using: &factory)
                try session.log(create)
                if let op = try state.insertText(draft.text, at: 0, using: &factory) { try session.log(op) }
                if let token = draft.caseToken {
                    if !knownCases.contains(token) {
                        guard try session.caseEntity(token: token) != nil else { throw unknownCase(token) }
                        knownCases.insert(token)
                    }
                    try session.log(try state.setField("case", to: .string(token), using: &factory))
                }
                for (key, value) in draft.fields.sorted(by: { $0.key < $1.key }) {
                    try session.log(try state.setField(key, to: value, using: &factory))
                }
                for tag in draft.tags {
                    if let op = try state.add(tag, to: FieldKey.tags, using: &factory) { try session.log(op) }
                }
                for finding in draft.links {
                    if let op = try state.add(finding, to: FieldKey.links, using: &factory) { try session.log(op) }
                }
                session.put(state)
                ids.append(state.id)
            }
            session.absorb(factory)
            return ids
        }
    }

    /// Replaces a note's text through the smallest insertions and deletions, so that words a
    /// colleague added elsewhere in the note concurrently survive the merge. Returns the op count.
    @discardableResult
    public func editText(note: EntityID, newText: String) throws(StoreError) -> Int {
        try NoteSizeRule.check(newText)
        return try editNote(note) { state, factory in try state.replaceText(with: newText, using: &factory) }
    }

    /// Sets a known field (checked against `FieldCatalog`), or clears it when `value` is nil.
    public func setField(note: EntityID, key: String, value: FieldValue?) throws(StoreError) {
        // Clearing writes an explicit null: a write like any other, which replaces what this device has seen.
        let checked = try FieldCatalog.validate(key: key, value: value ?? .null)
        try editNote(note) { state, factory in [try state.setField(key, to: checked, using: &factory)] }
    }

    /// Attaches the note to a known case, or detaches it when `token` is nil.
    public func setCase(note: EntityID, token: String?) throws(StoreError) {
        let value: FieldValue
        if let token {
            guard let canonical = CaseToken.normalised(token) else { throw unknownCase(token) }
            value = .string(canonical)
        } else {
            value = .null
        }
        try editNote(note) { state, factory, session in
            if case .string(let token) = value, try session.caseEntity(token: token) == nil { throw unknownCase(token) }
            return [try state.setField("case", to: value, using: &factory)]
        }
    }

    /// Adds and removes tags. Adding a tag already there, or removing one that is not, does nothing.
    @discardableResult
    public func tag(note: EntityID, add: [String] = [], remove: [String] = []) throws(StoreError) -> Int {
        let added = try add.map(TagRules.validated)
        let removed = try remove.map(TagRules.validated)
        return try editNote(note) { state, factory in
            var ops: [Op] = []
            for tag in added { if let op = try state.add(tag, to: FieldKey.tags, using: &factory) { ops.append(op) } }
            for tag in removed { if let op = try state.remove(tag, from: FieldKey.tags, using: &factory) { ops.append(op) } }
            return ops
        }
    }

    /// Links the note to a finding (by the finding's stable id).
    public func link(note: EntityID, to finding: String) throws(StoreError) {
        let finding = try DraftRules.validatedLink(finding)
        try editNote(note) { state, factory in [try state.add(finding, to: FieldKey.links, using: &factory)].compactMap { $0 } }
    }

    /// Removes the note's link to a finding.
    public func unlink(note: EntityID, from finding: String) throws(StoreError) {
        try editNote(note) { state, factory in [try state.remove(finding, from: FieldKey.links, using: &factory)].compactMap { $0 } }
    }

    /// Moves the note to the bin (a register write, like a field's); `restore` takes it back out.
    public func delete(note: EntityID) throws(StoreError) {
        try editNote(note) { state, factory in [try state.setDeleted(true, using: &factory)] }
    }

    public func restore(note: EntityID) throws(StoreError) {
        try editNote(note) { state, factory in [try state.setDeleted(false, using: &factory)] }
    }

    /// Erases the note for good, here and on every replica the purge op reaches: its text, fields,
    /// tags, links and case reference, and the payloads of all its ops in the log. Only ids remain.
    /// Forgets, too, which evidence records were shared from it (`shared_from`): the link is
    /// the one thing that ties a record back to a note, and the note is gone.
    public func purge(note: EntityID) throws(StoreError) {
        try editNote(note) { state, factory, session in
            try session.db.execute(sql: "DELETE FROM shared_from WHERE note = ?", arguments: [Data(note.bytes)])
            return [try state.purge(using: &factory)]
        }
    }

    // MARK: Plumbing

    @discardableResult
    private func editNote(_ id: EntityID, _ body: (inout EntityState, inout OpFactory) throws -> [Op]) throws(StoreError) -> Int {
        try editNote(id) { state, factory, _ in try body(&state, &factory) }
    }

    @discardableResult
    private func editNote(
        _ id: EntityID, _ body: (inout EntityState, inout OpFactory, WriteSession) throws -> [Op]
    ) throws(StoreError) -> Int {
        try write { session in
            guard var state = try session.existingState(id), state.kind != nil else {
                throw StoreError(.unknownID, "no note with id \(id.short)")
            }
            guard state.kind == .note else { throw StoreError(.notANote, "\(id.short) is a \(state.kind!), not a note") }
            var factory = try session.makeFactory()
            let ops = try body(&state, &factory, session)
            guard !ops.isEmpty else { return 0 }
            for op in ops { try session.log(op) }
            session.put(state)
            session.absorb(factory)
            return ops.count
        }
    }
}

func unknownCase(_ token: String) -> StoreError {
    StoreError(.unknownCase, "unknown case \"\(token)\": add it with `case add`, or check the token (like C-7K2Q-9XDM)")
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> StoreError) throws(StoreError) -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
