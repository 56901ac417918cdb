import GRDB
import GRDBSQLite
import SyncCore

/// The field, set-element and register-sibling rows of the entities a flush saves, gathered so
/// that each table gets its rows in a few multi-row statements.
struct MaterialRows: Equatable {
    var fields: [FieldColumns.FieldRow] = []
    var elements: [FieldColumns.ElementRow] = []
    var siblings: [RegisterRows.SiblingRow] = []

    mutating func add(_ state: EntityState, ref: Int64, withSets: Bool = true) {
        for (key, register) in state.fields {
            fields.append(FieldColumns.FieldRow(entity: ref, key: key, entry: register.entries[0]))
        }
        siblings += RegisterRows.siblingRows(of: state, ref: ref)
        guard withSets else { return }
        for (name, set) in state.sets {
            for (element, dots) in set.additions {
                for dot in dots { elements.append(FieldColumns.ElementRow(entity: ref, set: name, element: element, dot: dot)) }
            }
        }
    }

    func write(_ db: Database) throws {
        try FieldColumns.fieldInsert.insert(fields, db) { statement, row in
            statement.bind(row.entity)
            statement.bind(row.key)
            FieldColumns.bind(row.entry.value, to: &statement)
            statement.bind(Int64(row.entry.stamp.timestamp.millis))
            statement.bind(Int64(row.entry.stamp.timestamp.counter))
            statement.bind(high: row.entry.stamp.replica.high, low: row.entry.stamp.replica.low)
            statement.bind(Int64(row.entry.seq))
        }
        try FieldColumns.elementInsert.insert(elements, db) { statement, row in
            statement.bind(row.entity)
            statement.bind(row.set)
            statement.bind(row.element)
            statement.bind(high: row.dot.replica.high, low: row.dot.replica.low)
            statement.bind(Int64(row.dot.seq))
        }
        try RegisterRows.write(siblings: siblings, db)
    }
}

/// How a `FieldValue` sits in the `fields` table: a type code and a value of the matching SQLite type.
enum FieldColumns {
    /// A `fields` row gathered at flush: a register's visible entry.
    struct FieldRow: Equatable {
        let entity: Int64
        let key: String
        let entry: FieldRegister.Entry
    }

    /// A `set_elements` row gathered at flush: one addition (dot) of an element.
    struct ElementRow: Equatable {
        let entity: Int64
        let set: String
        let element: String
        let dot: Dot
    }

    static let fieldInsert = ChunkedInsert(
        table: "fields",
        columns: ["entity", "key", "type", "value", "stamp_ms", "stamp_counter", "stamp_replica", "stamp_seq"])
    static let elementInsert = ChunkedInsert(
        table: "set_elements", columns: ["entity", "set_name", "element", "dot_replica", "dot_seq"])

    /// Binds a value as its two columns, type and value.
    static func bind(_ value: FieldValue, to statement: inout BoundStatement) {
        switch value {
        case .null: statement.bind(Int64(0)); statement.bindNull()
        case .bool(let flag): statement.bind(Int64(1)); statement.bind(Int64(flag ? 1 : 0))
        case .int(let number): statement.bind(Int64(2)); statement.bind(number)
        case .double(let number): statement.bind(Int64(3)); statement.bind(number)
        case .string(let text): statement.bind(Int64(4)); statement.bind(text)
        }
    }

    /// `value(type:value:)`, reading the value from the current row of a statement.
    static func value(type: Int64, of row: BoundStatement, at index: Int32) throws -> FieldValue {
        switch (type, row.storageClass(at: index)) {
        case (0, _): return .null
        case (1, SQLITE_INTEGER): return .bool(row.int64(at: index) != 0)
        case (2, SQLITE_INTEGER): return .int(row.int64(at: index))
        case (3, SQLITE_FLOAT), (3, SQLITE_INTEGER): return .double(row.double(at: index))
        case (4, SQLITE_TEXT): return .string(row.text(at: index))
        default: throw StoreError(.corrupt, "a stored field value does not match its type \(type)")
        }
    }

    static func value(type: Int64, value: DatabaseValue) throws -> FieldValue {
        switch (type, value.storage) {
        case (0, _): return .null
        case (1, .int64(let number)): return .bool(number != 0)
        case (2, .int64(let number)): return .int(number)
        case (3, .double(let number)): return .double(number)
        case (3, .int64(let number)): return .double(Double(number))
        case (4, .string(let text)): return .string(text)
        default: throw StoreError(.corrupt, "a stored field value does not match its type \(type)")
        }
    }
}
