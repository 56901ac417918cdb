import SyncCore

/// The values of one `entities` row, taken from an entity's state.
///
/// A value, not a view of the state: a flush builds the rows of new entities on another thread
/// (`FreshRows`) and binds them on the writer's, and the state they came from may change in the
/// next batch before the rows are written.
struct EntityColumns: Equatable {
    let ref: Int64
    let id: EntityID
    let space: String
    let kind: Int64?
    let created: Timestamp?
    let updated: Timestamp?
    let isDeleted: Bool
    /// The bin flag's visible entry: its stamp and seq are the `deleted_*` columns.
    let deletion: FieldRegister.Entry?
    let isPurged: Bool
    let author: ReplicaID?

    init(_ state: EntityState, ref: Int64) {
        self.ref = ref
        id = state.id
        space = state.space?.name ?? SpaceID.team.name
        kind = state.kind.map { Int64($0.rawValue) }
        created = state.created
        updated = state.updated
        isDeleted = state.isDeleted
        deletion = state.deletion?.entries.first
        isPurged = state.isPurged
        author = state.author
    }

    /// The columns `EntityRows.entityInsert` names, in its order.
    func bindForInsert(to statement: inout BoundStatement) {
        statement.bind(ref)
        statement.bind(high: id.high, low: id.low)
        statement.bind(space)
        bindState(to: &statement)
    }

    /// The space and the columns from `kind` on, for `UPDATE … WHERE ref = ?` (the space too: a
    /// bound create can take an entity over from the space it was filed under).
    func bindForUpdate(to statement: inout BoundStatement) {
        statement.bind(space)
        bindState(to: &statement)
        statement.bind(ref)
    }

    /// Bound one by one (BoundStatement): this runs once per note written.
    private func bindState(to statement: inout BoundStatement) {
        statement.bind(kind)
        statement.bind(created.map { Int64($0.millis) })
        statement.bind(created.map { Int64($0.counter) })
        statement.bind(updated.map { Int64($0.millis) })
        statement.bind(updated.map { Int64($0.counter) })
        statement.bind(Int64(isDeleted ? 1 : 0))
        statement.bind(deletion.map { Int64($0.stamp.timestamp.millis) })
        statement.bind(deletion.map { Int64($0.stamp.timestamp.counter) })
        if let deletion { statement.bind(high: deletion.stamp.replica.high, low: deletion.stamp.replica.low) } else { statement.bindNull() }
        statement.bind(Int64(isPurged ? 1 : 0))
        statement.bind(deletion.map { Int64($0.seq) })
        if let author { statement.bind(high: author.high, low: author.low) } else { statement.bindNull() }
    }
}
