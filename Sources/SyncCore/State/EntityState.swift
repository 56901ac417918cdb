/// Everything one replica knows about one entity, built by applying its ops.
///
/// This is the single definition of fieldnote's merge rules: the in-memory `Replica` and the
/// SQLite store both apply ops through `apply(_:)`, so the rules cannot drift apart. Applying
/// the same set of ops in any causal order gives an equal state.
public struct EntityState: Sendable {
    public let id: EntityID
    /// The space of the first op seen for this entity; ops naming it from another space are ignored.
    public var space: SpaceID?
    public var kind: EntityKind?
    /// The timestamp of the author's `create` op (the earliest, if it repeated it).
    public var created: Timestamp?
    /// The replica whose `create` op was applied first: the only one that may change an
    /// evidence record (`accepts`).
    public var author: ReplicaID?
    /// The latest timestamp of any op on this entity, including ops a purge made inert.
    public var updated: Timestamp?
    public var fields: [String: FieldRegister]
    public var sets: [String: ObservedRemoveSet]
    public var text: TextSequence
    /// The `deleted` flag's register, nil while never written.
    public var deletion: FieldRegister?
    public var isPurged: Bool

    public init(
        id: EntityID, space: SpaceID? = nil, kind: EntityKind? = nil, created: Timestamp? = nil,
        author: ReplicaID? = nil, updated: Timestamp? = nil, fields: [String: FieldRegister] = [:], sets: [String: ObservedRemoveSet] = [:],
        text: TextSequence = TextSequence(), deletion: FieldRegister? = nil, isPurged: Bool = false
    ) {
        self.id = id
        self.space = space
        self.kind = kind
        self.created = created
        self.author = author
        self.updated = updated
        self.fields = fields
        self.sets = sets
        self.text = text
        self.deletion = deletion
        self.isPurged = isPurged
    }

    public var isDeleted: Bool { deletion?.value == .bool(true) }

    /// The live value of a field, nil when unset or explicitly cleared.
    public func field(_ key: String) -> FieldValue? {
        guard let value = fields[key]?.value, value != .null else { return nil }
        return value
    }

    public var tags: [String] { sets[FieldKey.tags]?.elements ?? [] }
    public var links: [String] { sets[FieldKey.links]?.elements ?? [] }

    /// Whether an op of `replica` other than a `create` may change this entity. An evidence
    /// record is a worker's own figures: only its author may change or withdraw it, and every
    /// replica refuses (skips) anyone else's op on it, so a colleague's device can never make a
    /// report show its figures as the worker's.
    public func accepts(_ replica: ReplicaID) -> Bool {
        kind != .evidence || replica == author
    }

    /// Whether the entity is purged and `space` is its own: a purge erases only the ops of its
    /// entity's space (Protocol.md 6.4); an op naming the entity from another space is no part of it.
    public func isPurged(in space: SpaceID) -> Bool {
        isPurged && self.space == space
    }

    /// Whether a causally ready op must still wait: a purge of an entity whose `create` has not
    /// arrived. Its erasure could not be undone if the create then showed an evidence record
    /// of another author, which every replica that had the create first would have refused.
    public static func awaitsCreate(_ op: Op, state: EntityState?) -> Bool {
        guard case .purge = op.payload else { return false }
        return state?.kind == nil
    }

    /// Applies one causally ready op (everything it names is already applied) that is not yet
    /// applied. Returns whether anything visible changed. An op the entity does not `accept`
    /// changes nothing, not even `updated`.
    @discardableResult
    public mutating func apply(_ op: Op) -> Bool {
        precondition(op.entity == id, "op for \(op.entity) applied to \(id)")
        if let space, space != op.id.space { return false }
        space = op.id.space
        if case .create(_, let kind) = op.payload { return applyCreate(op, kind: kind) }
        guard accepts(op.id.replica) else { return false }
        noteTimestamp(op.timestamp)

        switch op.payload {
        case .purge:
            let changed = !isPurged
            erase()
            return changed
        case .erased:
            return false
        default:
            guard !isPurged else { return false }
        }

        switch op.payload {
        case .setField(_, let key, let value, let pred):
            return fields[key].write(FieldRegister.Entry(value: value, stamp: op.stamp, seq: op.id.seq), overwriting: pred)
        case .setDeleted(_, let deleted, let pred):
            return deletion.write(FieldRegister.Entry(value: .bool(deleted), stamp: op.stamp, seq: op.id.seq), overwriting: pred)
        case .addElement(_, let set, let element):
            return sets[set, default: ObservedRemoveSet()].add(element, dot: Dot(replica: op.id.replica, seq: op.id.seq))
        case .removeElement(_, let set, let element, let observed):
            guard sets[set] != nil else { return false }
            let changed = sets[set]!.remove(element, observed: observed)
            if sets[set]!.isEmpty { sets[set] = nil }
            return changed
        case .insertText(_, let origin, let rightOrigin, let inserted):
            let before = text.count
            text.integrate(inserted, firstID: Dot(replica: op.id.replica, seq: op.id.seq), origin: origin, rightOrigin: rightOrigin)
            return text.count != before
        case .deleteText(_, let ranges):
            return text.delete(ranges: ranges) > 0
        case .create, .purge, .erased:
            return false
        }
    }

    /// The first `create` applied names the author, unless a later one is bound to the id
    /// (`EntityID.isBound(to:)`): only the replica the id was made for can send that one, so it
    /// takes the entity over from a `create` that was forged and arrived first. An evidence
    /// record's `create` counts only when bound, so no one can claim a record as theirs. Ops
    /// applied before the author's create (delivery orders only each replica's own ops) were all
    /// other replicas': when the create shows an evidence record, they are undone.
    private mutating func applyCreate(_ op: Op, kind: EntityKind) -> Bool {
        if kind == .evidence, !op.entity.isBound(to: op.id) { return false }
        if let author, author != op.id.replica {
            guard op.entity.isBound(to: op.id) else { return false }
            return takeOver(op, kind: kind)
        }
        author = op.id.replica
        noteTimestamp(op.timestamp)
        if created.map({ op.timestamp < $0 }) ?? true { created = op.timestamp }
        guard self.kind != kind else { return false }
        // Two creates of one replica with different kinds can only be forged; keep the smaller
        // raw value so every replica agrees.
        let firstKind = self.kind == nil
        self.kind = self.kind.map { $0.rawValue < kind.rawValue ? $0 : kind } ?? kind
        if firstKind && self.kind == .evidence && !isPurged { forgetOthersOps(since: op.timestamp) }
        return true
    }

    /// The real author's bound `create` replaces a forged one. The forger could not have made
    /// an evidence record (its create would not be bound), so until now every op was applied as
    /// to any note; the author's kind and time replace the forger's, and for an evidence record
    /// the others' ops are undone as when its create comes first, a forger's purge included
    /// (the author's own ops, purge or not, all follow its create).
    private mutating func takeOver(_ op: Op, kind: EntityKind) -> Bool {
        author = op.id.replica
        created = op.timestamp
        self.kind = kind
        guard kind == .evidence else {
            noteTimestamp(op.timestamp)
            return true
        }
        forgetOthersOps(since: op.timestamp)
        isPurged = false
        return true
    }

    private mutating func forgetOthersOps(since timestamp: Timestamp) {
        fields = [:]
        sets = [:]
        text.removeAll()
        deletion = nil
        updated = timestamp
    }

    private mutating func noteTimestamp(_ timestamp: Timestamp) {
        if updated.map({ timestamp > $0 }) ?? true { updated = timestamp }
    }

    /// Forgets all content, keeping the id, kind and timestamps: what a purge leaves behind.
    mutating func erase() {
        fields = [:]
        sets = [:]
        text.removeAll()
        deletion = nil
        isPurged = true
    }
}
