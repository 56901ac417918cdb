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
    /// The timestamp of the earliest `create` op.
    public var created: Timestamp?
    /// The latest timestamp of any op on this entity, including ops a purge made inert.
    public var updated: Timestamp?
    public var fields: [String: FieldRegister]
    public var sets: [String: ObservedRemoveSet]
    public var text: TextSequence
    /// The last-writer-wins `deleted` flag, nil while never written.
    public var deletion: FieldRegister?
    public var isPurged: Bool

    public init(
        id: EntityID, space: SpaceID? = nil, kind: EntityKind? = nil, created: Timestamp? = nil,
        updated: Timestamp? = nil, fields: [String: FieldRegister] = [:], sets: [String: ObservedRemoveSet] = [:],
        text: TextSequence = TextSequence(), deletion: FieldRegister? = nil, isPurged: Bool = false
    ) {
        self.id = id
        self.space = space
        self.kind = kind
        self.created = created
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

    /// Applies one causally ready op (everything it names is already applied) that is not yet
    /// applied. Returns whether anything visible changed.
    @discardableResult
    public mutating func apply(_ op: Op) -> Bool {
        precondition(op.entity == id, "op for \(op.entity) applied to \(id)")
        if let space, space != op.id.space { return false }
        space = op.id.space
        if updated.map({ op.timestamp > $0 }) ?? true { updated = op.timestamp }
        let stamp = op.stamp

        switch op.payload {
        case .create(_, let kind):
            if created.map({ op.timestamp < $0 }) ?? true { created = op.timestamp }
            guard self.kind != kind else { return false }
            // Two creates with different kinds can only come from a forged op; keep the smaller
            // raw value so every replica agrees.
            self.kind = self.kind.map { $0.rawValue < kind.rawValue ? $0 : kind } ?? kind
            return true
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
        case .setField(_, let key, let value):
            return fields[key].merge(FieldRegister(value: value, stamp: stamp))
        case .setDeleted(_, let deleted):
            return deletion.merge(FieldRegister(value: .bool(deleted), stamp: stamp))
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

    /// Forgets all content, keeping the id, kind and timestamps: what a purge leaves behind.
    mutating func erase() {
        fields = [:]
        sets = [:]
        text.removeAll()
        deletion = nil
        isPurged = true
    }
}
