import GRDB

/// Rows for one table, gathered during a flush and written with multi-row INSERT statements.
///
/// Each SQLite statement has a fixed cost beside its rows (a statement journal opened and
/// closed, the program started and halted, arguments checked and bound), which one-row inserts
/// pay per row: a new note writes a dozen rows. Written `chunk` rows per statement, that cost
/// is shared. Statements are cached per row count, so a transaction prepares at most `chunk`
/// distinct statements per table, and the next transaction reuses them.
struct RowBuffer {
    let table: String
    let columns: [String]
    /// Rows per statement (32 by default: 32 rows of 9 columns bind 288 variables, far below SQLite's limit).
    let chunk: Int
    private(set) var values: [DatabaseValue] = []
    /// The statement for a full chunk, built once: building it per statement cost more than binding.
    private let fullChunkSQL: String

    init(table: String, columns: [String], chunk: Int = 32) {
        precondition(chunk >= 1 && !columns.isEmpty)
        self.table = table
        self.columns = columns
        self.chunk = chunk
        self.fullChunkSQL = RowBuffer.sql(table: table, columns: columns, rows: chunk)
    }

    var isEmpty: Bool { values.isEmpty }

    /// Appends one row: exactly one value per column, in column order.
    mutating func append(_ row: DatabaseValue...) {
        precondition(row.count == columns.count, "a row of \(table) has \(columns.count) values")
        values.append(contentsOf: row)
    }

    /// Writes every row and empties the buffer.
    mutating func write(_ db: Database) throws {
        let width = columns.count
        let rows = values.count / width
        var start = 0
        while start < rows {
            let count = min(chunk, rows - start)
            let statement = try db.cachedStatement(sql: count == chunk ? fullChunkSQL : Self.sql(table: table, columns: columns, rows: count))
            try statement.execute(arguments: StatementArguments(values[(start * width)..<((start + count) * width)]))
            start += count
        }
        values.removeAll(keepingCapacity: true)
    }

    static func sql(table: String, columns: [String], rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ",")
    }
}
