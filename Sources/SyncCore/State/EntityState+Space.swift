/// Which space an entity belongs to (Protocol.md 6.1, 6.4).
///
/// An entity is filed under the space of the first op applied to it, unless a `create` bound to
/// its id (`EntityID.isBound(to:)`) says otherwise: that create was made in one space only and no
/// one else can make it, so its space is the entity's wherever and whenever it arrives. Without
/// the rule, a writer of one space who knew a note's id could send an op naming it from its own
/// space; a device that received that op first filed the note there and ignored the note's own
/// ops as "another space", so the note never showed on it.
extension EntityState {
    /// Whether `op` is a `create` bound to its entity, of another space than the one `state` is
    /// filed under: the entity is then rebuilt from its ops of the create's space
    /// (`replaying(_:of:in:muted:)`) before the create applies.
    public static func takesOverSpace(_ op: Op, state: EntityState?) -> Bool {
        guard case .create = op.payload, let filed = state?.space, filed != op.id.space else { return false }
        return op.entity.isBound(to: op.id)
    }

    /// The state an entity's ops give, replayed in causal order (`Delivery.causalOrder`); the ops
    /// of `muted` replicas as `applyMuted` does. With a `space`, ops of other spaces are left out:
    /// they never count for an entity of `space`. Without one, every op is replayed and the first
    /// files the entity, as when they arrived.
    public static func replaying(_ ops: [Op], of id: EntityID, in space: SpaceID?, muted: Set<ReplicaID> = []) -> EntityState {
        var state = EntityState(id: id)
        for op in Delivery.causalOrder(ofEntityOps: space.map { space in ops.filter { $0.id.space == space } } ?? ops) {
            if muted.contains(op.id.replica) { state.applyMuted(op) } else { state.apply(op) }
        }
        return state
    }

    /// The space of a `create` bound to `id` among `ops`, if there is one.
    public static func boundSpace(of id: EntityID, among ops: [Op]) -> SpaceID? {
        ops.first { op in
            guard case .create = op.payload else { return false }
            return id.isBound(to: op.id)
        }?.id.space
    }
}
