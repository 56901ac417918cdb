import Foundation
import GRDB
import GRDBSQLite
import SyncCore

/// Reads an `EntityState` from the materialised rows and writes one back.
///
/// The rows hold exactly what `EntityState` holds — every register with its stamp, every set
/// addition with its dot, the text's CRDT state — so a state read back is equal to the one written,
/// and the next op applies to it as it would in memory.
struct EntityRows {
    let db: Database

    init(_ db: Database) { self.db = db }

    // MARK: Loading

    static func load(_ id: EntityID, _ db: Database) throws -> (ref: Int64, state: EntityState)? {
        // Probed through SQLite's C API first: a batch from a peer mostly creates entities this
        // store has never seen, and GRDB's fetchOne cost several times the lookup for each.
        var probe = try BoundStatement(db, sql: "SELECT 1 FROM entities WHERE id = ?")
        probe.bind(high: id.high, low: id.low)
        guard try probe.nextRow() else { return nil }
        while try probe.nextRow() {}
        let statement = try db.cachedStatement(sql: """
            SELECT ref, space, kind, created_ms, created_counter, updated_ms, updated_counter,
                   deleted, deleted_ms, deleted_counter, deleted_replica, purged, \(registerColumns)
            FROM entities WHERE id = ?
            """)
        guard let row = try Row.fetchOne(statement, arguments: [Data(id.bytes)]) else { return nil }
        let ref: Int64 = row[0]
        return (ref, try load(ref: ref, id: id, entityRow: row, db))
    }

    /// Which of `ids` have a row, asked `probeChunk` ids to a statement. A batch from a peer
    /// mostly creates entities this store has never seen, and `load` probed them one statement
    /// each: a statement's fixed cost per new entity.
    static func existing(_ ids: [EntityID], _ db: Database) throws -> Set<EntityID> {
        var found = Set<EntityID>()
        var start = 0
        while start < ids.count {
            let end = min(start + probeChunk, ids.count)
            let marks = Array(repeating: "?", count: end - start).joined(separator: ",")
            var statement = try BoundStatement(db, sql: "SELECT id FROM entities WHERE id IN (\(marks))")
            for id in ids[start..<end] { statement.bind(high: id.high, low: id.low) }
            while try statement.nextRow() {
                if let id = statement.withBlob(at: 0, { EntityID(bytes: $0) }) { found.insert(id) }
            }
            start = end
        }
        return found
    }

    static let probeChunk = 64

    /// The columns after `purged` that `load(ref:id:entityRow:_:)` reads by name: the seq of the
    /// bin flag's visible entry and the author.
    static let registerColumns = "deleted_seq, author"

    /// Builds the state from an `entities` row selected with the columns of `load(_:_:)` (the
    /// first twelve in that order, and `registerColumns` anywhere after them).
    static func load(ref: Int64, id: EntityID, entityRow row: Row, _ db: Database) throws -> EntityState {
        let space = try SpaceID(row[1] as String)
        let kind = (row[2] as Int64?).flatMap { EntityKind(rawValue: UInt8(clamping: $0)) }
        var visibleDeletion: FieldRegister.Entry?
        if let millis = row[8] as Int64?, let replicaData = row[10] as Data? {
            visibleDeletion = FieldRegister.Entry(
                value: .bool((row[7] as Int64) != 0),
                stamp: Stamp(timestamp: timestamp(millis, row[9]), replica: try replicaID(replicaData)),
                seq: UInt64(row["deleted_seq"] as Int64? ?? 0))
        }
        let siblings = try RegisterRows.loadSiblings(ref, db)
        return EntityState(
            id: id, space: space, kind: kind,
            created: (row[3] as Int64?).map { timestamp($0, row[4]) },
            author: try (row["author"] as Data?).map(replicaID),
            updated: (row[5] as Int64?).map { timestamp($0, row[6]) },
            fields: try loadFields(ref, siblings: siblings, db), sets: try loadSets(ref, db), text: try loadText(ref, db),
            deletion: RegisterRows.register(visible: visibleDeletion, siblings: siblings[RegisterRows.deletionKey]),
            isPurged: (row[11] as Int64) != 0)
    }

    private static func loadFields(
        _ ref: Int64, siblings: [String: [FieldRegister.Entry]], _ db: Database
    ) throws -> [String: FieldRegister] {
        let statement = try db.cachedStatement(sql: """
            SELECT key, type, value, stamp_ms, stamp_counter, stamp_replica, stamp_seq FROM fields WHERE entity = ?
            """)
        var fields: [String: FieldRegister] = [:]
        for row in try Row.fetchAll(statement, arguments: [ref]) {
            let key: String = row[0]
            let visible = FieldRegister.Entry(
                value: try FieldColumns.value(type: row[1], value: row[2]),
                stamp: Stamp(timestamp: timestamp(row[3], row[4]), replica: try replicaID(row[5])),
                seq: UInt64(row[6] as Int64))
            fields[key] = RegisterRows.register(visible: visible, siblings: siblings[key])
        }
        return fields
    }

    private static func loadSets(_ ref: Int64, _ db: Database) throws -> [String: ObservedRemoveSet] {
        let statement = try db.cachedStatement(sql: """
            SELECT set_name, element, dot_replica, dot_seq FROM set_elements WHERE entity = ?
            """)
        var additions: [String: [String: Set<Dot>]] = [:]
        for row in try Row.fetchAll(statement, arguments: [ref]) {
            let dot = Dot(replica: try replicaID(row[2]), seq: UInt64(row[3] as Int64))
            additions[row[0] as String, default: [:]][row[1] as String, default: []].insert(dot)
        }
        return additions.mapValues { ObservedRemoveSet(additions: $0) }
    }

    private static func loadText(_ ref: Int64, _ db: Database) throws -> TextSequence {
        let statement = try db.cachedStatement(sql: "SELECT state FROM note_text WHERE entity = ?")
        guard let data = try Data.fetchOne(statement, arguments: [ref]) else { return TextSequence() }
        return try TextSequence(serialized: [UInt8](data))
    }

    static func timestamp(_ millis: Int64, _ counter: Int64) -> Timestamp {
        Timestamp(millis: UInt64(max(0, millis)), counter: UInt32(clamping: counter))
    }

    static func replicaID(_ data: Data) throws -> ReplicaID {
        guard let replica = ReplicaID(bytes: data) else { throw StoreError(.corrupt, "a stored replica id is not 16 bytes") }
        return replica
    }

    // MARK: Saving

    /// Writes the state of an entry whose entity has a row: updates the row and deletes its old
    /// fields and set elements. The new field and set rows go to the buffers, written together
    /// after every entity is saved; the search row is the session's to write (last).
    func save(_ entry: WriteSession.Entry, rows: inout MaterialRows) throws {
        let state = entry.state
        guard let ref = entry.ref else { throw StoreError(.database, "internal: \(state.id) saved without its row") }
        try updateEntityRow(of: state, ref: ref)
        try db.cachedStatement(sql: "DELETE FROM fields WHERE entity = ?").execute(arguments: [ref])
        try db.cachedStatement(sql: "DELETE FROM set_elements WHERE entity = ?").execute(arguments: [ref])
        try db.cachedStatement(sql: "DELETE FROM register_siblings WHERE entity = ?").execute(arguments: [ref])
        rows.add(state, ref: ref)
        if Self.keepsText(state) {
            var statement = try BoundStatement(db, sql: "INSERT OR REPLACE INTO note_text (entity, state) VALUES (?, ?)")
            statement.bind(ref)
            statement.bind(bytes: state.text.serialized())
            try statement.execute()
        } else {
            try db.cachedStatement(sql: "DELETE FROM note_text WHERE entity = ?").execute(arguments: [ref])
        }
    }

    /// Numbers (`ref`) the entries whose entities have no row yet, in the given order after the
    /// highest number in use, as SQLite itself would, since nothing else writes inside the
    /// transaction. Their rows are then inserted many to a statement (`FreshRows`): a batch from
    /// a peer mostly creates entities, a thousand at a time, and inserting each entity's row and
    /// text on its own paid a statement's fixed cost twice per entity.
    func number(_ fresh: [WriteSession.Entry]) throws {
        guard !fresh.isEmpty else { return }
        var next = try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(ref), 0) + 1 FROM entities")) ?? 1
        for entry in fresh {
            entry.ref = next
            next += 1
        }
    }

    static let entityInsert = ChunkedInsert(table: "entities", columns: [
        "ref", "id", "space", "kind", "created_ms", "created_counter", "updated_ms", "updated_counter",
        "deleted", "deleted_ms", "deleted_counter", "deleted_replica", "purged", "deleted_seq", "author",
    ])
    static let textInsert = ChunkedInsert(table: "note_text", columns: ["entity", "state"])

    /// Whether the state has a `note_text` row. Visible text first: `canonicalItems` builds
    /// every character's item, which only a note without visible text needs to know whether it
    /// holds deleted ones.
    static func keepsText(_ state: EntityState) -> Bool {
        !state.text.isEmpty || !state.text.canonicalItems.isEmpty
    }

    /// Rewrites the entity row and the register rows of `state` (an existing entity), leaving
    /// its sets and text alone: `RegisterRows.backfill`'s write.
    func rewriteRegisters(of state: EntityState, ref: Int64) throws {
        try updateEntityRow(of: state, ref: ref)
        try db.cachedStatement(sql: "DELETE FROM fields WHERE entity = ?").execute(arguments: [ref])
        try db.cachedStatement(sql: "DELETE FROM register_siblings WHERE entity = ?").execute(arguments: [ref])
        var rows = MaterialRows()
        rows.add(state, ref: ref, withSets: false)
        try rows.write(db)
    }

    private func updateEntityRow(of state: EntityState, ref: Int64) throws {
        var statement = try BoundStatement(db, sql: """
            UPDATE entities SET space = ?, kind = ?, created_ms = ?, created_counter = ?, updated_ms = ?, updated_counter = ?,
                deleted = ?, deleted_ms = ?, deleted_counter = ?, deleted_replica = ?, purged = ?, deleted_seq = ?, author = ?
            WHERE ref = ?
            """)
        EntityColumns(state, ref: ref).bindForUpdate(to: &statement)
        try statement.execute()
    }
}
