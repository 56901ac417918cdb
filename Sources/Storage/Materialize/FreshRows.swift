import GRDB
import SyncCore

/// Every row of a run of entities new to the store: their `entities` rows, their texts, their
/// field, set-element and register rows, and which of them the search backlog records.
///
/// Built from values alone (numbered states), so that a flush can build one run on another
/// thread while the writer's thread inserts the one before (`FlushParts`).
struct FreshRows {
    private(set) var entities: [EntityColumns] = []
    private(set) var texts: [(ref: Int64, state: [UInt8])] = []
    private(set) var material = MaterialRows()
    /// The refs of the notes that search indexes (`SearchIndex.indexes`), for the backlog.
    private(set) var indexed: [Int64] = []

    init(_ numbered: some Collection<(ref: Int64, state: EntityState)>) {
        entities.reserveCapacity(numbered.count)
        for (ref, state) in numbered {
            entities.append(EntityColumns(state, ref: ref))
            material.add(state, ref: ref)
            if EntityRows.keepsText(state) { texts.append((ref, state.text.serialized())) }
            if SearchIndex.indexes(state) { indexed.append(ref) }
        }
    }

    /// Inserts the rows: the entities' first, which the others reference.
    func write(_ db: Database) throws {
        try EntityRows.entityInsert.insert(entities, db) { statement, row in row.bindForInsert(to: &statement) }
        try EntityRows.textInsert.insert(texts, db) { statement, text in
            statement.bind(text.ref)
            statement.bind(bytes: text.state)
        }
        try material.write(db)
    }
}
