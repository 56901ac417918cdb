import GRDB

/// A multi-row INSERT into one table: rows written `chunk` per statement.
///
/// Each SQLite statement has a fixed cost beside its rows (the program started and halted),
/// which one-row inserts pay per row: a new note writes a dozen rows. Written `chunk` rows per
/// statement, that cost is shared.
///
/// `INSERT OR FAIL`, not SQLite's default `ABORT`: a statement that writes several rows and may
/// abort halfway keeps a journal of the old content of every page it changes, to undo itself
/// alone; one that fails instead keeps the rows it wrote before the failing one. Every caller is
/// inside a store transaction, which rolls back whole when a statement throws, so those rows are
/// never kept either, and the journal (a copy of each page per statement) is saved. Foreign keys
/// to `entities` are checked at commit for the same reason (`Migrations`, v13). Values are bound
/// straight from the caller's rows through `BoundStatement`, not through GRDB's
/// `StatementArguments` or an intermediate array of `DatabaseValue`s, which cost more per value
/// than SQLite's work on it. Texts and blobs are staged (`BoundStatement.Staged`), not copied
/// by SQLite one allocation each. Statements are cached per row count, so a transaction prepares at
/// most `chunk` distinct statements per table, and the next transaction reuses them.
struct ChunkedInsert: Sendable {
    let table: String
    let columns: [String]
    /// Rows per statement (32 by default: 32 rows of 9 columns bind 288 variables, far below SQLite's limit).
    let chunk: Int
    /// The statement for a full chunk, built once: building it per statement cost more than binding.
    private let fullChunkSQL: String

    init(table: String, columns: [String], chunk: Int = 32) {
        precondition(chunk >= 1 && !columns.isEmpty)
        self.table = table
        self.columns = columns
        self.chunk = chunk
        self.fullChunkSQL = ChunkedInsert.sql(table: table, columns: columns, rows: chunk)
    }

    /// Inserts every row; `bind` binds one row's values, exactly one per column, in column order.
    func insert<Rows: RandomAccessCollection>(
        _ rows: Rows, _ db: Database, bind: (inout BoundStatement, Rows.Element) -> Void
    ) throws {
        // One statement for every full chunk, so its staged values' buffer is allocated once.
        var full: BoundStatement?
        var start = rows.startIndex
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: chunk, limitedBy: rows.endIndex) ?? rows.endIndex
            let count = rows.distance(from: start, to: end)
            var statement = count == chunk
                ? try full.take() ?? BoundStatement(db, sql: fullChunkSQL, stages: true)
                : try BoundStatement(db, sql: Self.sql(table: table, columns: columns, rows: count), stages: true)
            for row in rows[start..<end] { bind(&statement, row) }
            try statement.execute()
            if count == chunk { full = statement }
            start = end
        }
    }

    static func sql(table: String, columns: [String], rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT OR FAIL INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ",")
    }
}
