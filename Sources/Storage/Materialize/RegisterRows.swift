import Foundation
import GRDB
import SyncCore

/// How multi-value registers (`FieldRegister`) sit in the store.
///
/// The visible entry stays where every query reads it — a `fields` row, or the `entities.deleted_*`
/// columns for the bin flag — now with its op's seq, so that the next write can name it. The other
/// surviving entries (writes made concurrently with the visible one, which no later write has
/// replaced yet) are rows of `register_siblings`: rare, and kept only so the next write can name
/// them too. The bin flag's siblings have the key '' (no field key is empty).
enum RegisterRows {
    static let deletionKey = ""

    /// A `register_siblings` row gathered at flush.
    struct SiblingRow: Equatable {
        let entity: Int64
        let key: String
        let entry: FieldRegister.Entry
    }

    static let siblingInsert = ChunkedInsert(
        table: "register_siblings",
        columns: ["entity", "key", "replica", "seq", "stamp_ms", "stamp_counter", "type", "value"])

    /// The non-visible entries of every register of entity `ref`, by key.
    static func loadSiblings(_ ref: Int64, _ db: Database) throws -> [String: [FieldRegister.Entry]] {
        let statement = try db.cachedStatement(sql: """
            SELECT key, replica, seq, stamp_ms, stamp_counter, type, value FROM register_siblings WHERE entity = ?
            """)
        var siblings: [String: [FieldRegister.Entry]] = [:]
        for row in try Row.fetchAll(statement, arguments: [ref]) {
            let stamp = Stamp(timestamp: EntityRows.timestamp(row[3], row[4]), replica: try EntityRows.replicaID(row[1]))
            let entry = FieldRegister.Entry(
                value: try FieldColumns.value(type: row[5], value: row[6]), stamp: stamp, seq: UInt64(row[2] as Int64))
            siblings[row[0] as String, default: []].append(entry)
        }
        return siblings
    }

    /// The register whose visible entry is `visible`, with its siblings.
    static func register(visible: FieldRegister.Entry?, siblings: [FieldRegister.Entry]?) -> FieldRegister? {
        FieldRegister(entries: (visible.map { [$0] } ?? []) + (siblings ?? []))
    }

    /// The sibling rows of `state`'s registers: every entry but the visible one.
    static func siblingRows(of state: EntityState, ref: Int64) -> [SiblingRow] {
        var rows: [SiblingRow] = []
        for (key, register) in state.fields where register.entries.count > 1 {
            rows += register.entries.dropFirst().map { SiblingRow(entity: ref, key: key, entry: $0) }
        }
        if let deletion = state.deletion, deletion.entries.count > 1 {
            rows += deletion.entries.dropFirst().map { SiblingRow(entity: ref, key: deletionKey, entry: $0) }
        }
        return rows
    }

    static func write(siblings: [SiblingRow], _ db: Database) throws {
        try siblingInsert.insert(siblings, db) { statement, row in
            statement.bind(row.entity)
            statement.bind(row.key)
            statement.bind(high: row.entry.stamp.replica.high, low: row.entry.stamp.replica.low)
            statement.bind(Int64(row.entry.seq))
            statement.bind(Int64(row.entry.stamp.timestamp.millis))
            statement.bind(Int64(row.entry.stamp.timestamp.counter))
            FieldColumns.bind(row.entry.value, to: &statement)
        }
    }

    // MARK: Stores made before registers named what they overwrite

    /// Fills in, for a store written before this format, each entity's author and its registers
    /// with the seqs of their entries, by replaying every entity's `create`, `setField` and
    /// `setDeleted` ops from the log through `EntityState.apply` — as a store receiving the same
    /// ops now would, so both agree: the old writes carry no `pred`, so every one of them survives
    /// (the greatest visible, as before) until a new write names them, and writes on an evidence
    /// record by anyone but its author are dropped.
    static func backfill(_ db: Database) throws {
        // A purged entity keeps no registers; its author is the replica of its create op.
        try db.execute(sql: """
            UPDATE entities SET author = (
                SELECT o.replica FROM ops o WHERE o.entity = entities.ref AND o.kind = 1 ORDER BY o.hlc_ms, o.hlc_counter LIMIT 1)
            WHERE purged = 1
            """)
        let entities = try Row.fetchAll(db, sql: "SELECT ref, id FROM entities WHERE purged = 0")
        guard !entities.isEmpty else { return }
        let select = try db.makeStatement(sql: """
            SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE entity = ?
            ORDER BY hlc_ms, hlc_counter, replica, seq
            """)
        let rows = EntityRows(db)
        for entity in entities {
            let ref: Int64 = entity[0]
            guard let id = EntityID(bytes: entity[1] as Data), var state = try EntityRows.load(id, db)?.state else { continue }
            var replayed = EntityState(id: id)
            for row in try Row.fetchAll(select, arguments: [ref]) {
                for op in try OpLogRows.ops(from: row) {
                    switch op.payload {
                    case .create, .setField, .setDeleted: replayed.apply(op)
                    default: continue
                    }
                }
            }
            state.author = replayed.author
            state.fields = replayed.fields
            state.deletion = replayed.deletion
            try rows.rewriteRegisters(of: state, ref: ref)
        }
    }
}
