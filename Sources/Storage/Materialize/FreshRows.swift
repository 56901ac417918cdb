import GRDB
import SyncCore

/// Every row of a run of entities new to the store: their `entities` rows, their texts, their
/// field, set-element and register rows, and which of them the search backlog records.
///
/// Built from values alone (numbered states), so that a flush can build one run on another
/// thread while the writer's thread inserts the one before (`FlushParts`).
struct FreshRows {
    private(set) var entities: [EntityColumns] = []
    /// The refs of the entities whose text is kept, and their serialised texts, in the same order.
    private(set) var textRefs: [Int64] = []
    private(set) var texts = PackedBytes()
    private(set) var material = MaterialRows()
    /// The refs of the notes that search indexes (`SearchIndex.indexes`), for the backlog.
    private(set) var indexed: [Int64] = []

    init(_ numbered: some Collection<(ref: Int64, state: EntityState)>) {
        entities.reserveCapacity(numbered.count)
        for (ref, state) in numbered {
            entities.append(EntityColumns(state, ref: ref))
            material.add(state, ref: ref)
            if EntityRows.keepsText(state) {
                textRefs.append(ref)
                texts.append(state.text.serialized())
            }
            if SearchIndex.indexes(state) { indexed.append(ref) }
        }
    }

    /// Inserts the rows: the entities' first, which the others reference.
    func write(_ db: Database) throws {
        try EntityRows.entityInsert.insert(entities, db) { statement, row in row.bindForInsert(to: &statement) }
        try EntityRows.textInsert.insert(texts.indices, db) { statement, index in
            statement.bind(textRefs[index])
            statement.bind(bytes: texts[index])
        }
        try material.write(db)
    }
}
