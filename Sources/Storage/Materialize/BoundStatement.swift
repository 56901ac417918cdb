import Foundation
import GRDB
// SQLite's C API, as GRDB links it (GRDB's `GRDBSQLite` system-library module): the write path
// binds and steps its hot statements directly. GRDB documents this escape hatch ("raw SQLite
// pointers"); the statements stay GRDB's cached statements, which own and finalize them.
import GRDBSQLite

/// One of GRDB's cached prepared statements, bound value by value and stepped through SQLite's
/// C API.
///
/// Why: `Statement.execute(arguments:)` turns every value into a `StatementArguments` (a map
/// through a key path per value), validates the count, then binds through a chain of nested
/// closures. On the bulk write path that was about half of all instructions spent per note
/// (callgrind, 3 000 notes), more than SQLite itself. Binding straight from Swift values costs a
/// call per value.
///
/// Inside a transaction the caller opened through GRDB: GRDB's transaction observation is
/// skipped, which the store does not use. Writes run with `execute()`; a query steps its rows with
/// `nextRow()` and reads columns in place, without GRDB's `Row` (a class, a copy of every value,
/// a decode through `DatabaseValueConvertible` per column), on the sync serving path. Strings and blobs are
/// bound `SQLITE_TRANSIENT` (SQLite copies them), so no binding outlives the Swift value it came from;
/// or, for a statement that `stages` them, copied end to end into one buffer of the statement's
/// own and bound from there for the one step that `execute()` takes (`Staged`).
///
/// Not Sendable: it lives inside one `DatabasePool.write` closure, like the `Database` it came from.
struct BoundStatement {
    private let statement: Statement
    private let db: Database
    private var next: Int32 = 1
    /// The texts and blobs bound since the last run, when the statement stages them.
    private var staged: Staged?

    /// `stages`: gather texts and blobs for `execute()` instead of handing each to SQLite to copy;
    /// for statements that only `execute()`, never step rows.
    init(_ db: Database, sql: String, stages: Bool = false) throws {
        self.db = db
        self.statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(handle)
        if stages { staged = Staged() }
    }

    private var handle: OpaquePointer { statement.sqliteStatement }

    /// SQLite's "copy this buffer now" destructor, which Swift cannot import as a constant.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    mutating func bind(_ value: Int64) {
        check(sqlite3_bind_int64(handle, next, value))
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Double) {
        check(sqlite3_bind_double(handle, next, value))
    }

    mutating func bind(_ value: String) {
        if staged != nil { return stage(value.utf8, isText: true) }
        var value = value
        value.withUTF8 { utf8 in
            check(sqlite3_bind_text(handle, next, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                    Int32(utf8.count), Self.transient))
        }
    }

    /// Binds a blob (zero-length blobs stay blobs, not NULL).
    mutating func bind(bytes: [UInt8]) { bind(bytes: bytes[...]) }

    /// Binds part of a buffer as a blob: one byte string of a `PackedBytes`.
    mutating func bind(bytes: ArraySlice<UInt8>) {
        if staged != nil { return stage(bytes, isText: false) }
        bytes.withUnsafeBytes { buffer in
            check(sqlite3_bind_blob(handle, next, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), Self.transient))
        }
    }

    /// Binds a 16-byte id (replica or entity) given as its two big-endian words, without the
    /// array its `bytes` would allocate: one per op on the bulk path.
    mutating func bind(high: UInt64, low: UInt64) {
        var words = (high.bigEndian, low.bigEndian)
        withUnsafeBytes(of: &words) { buffer in
            if staged != nil { return stage(buffer, isText: false) }
            check(sqlite3_bind_blob(handle, next, buffer.baseAddress, 16, Self.transient))
        }
    }

    mutating func bindNull() {
        check(sqlite3_bind_null(handle, next))
    }

    mutating func bind(_ value: Int64?) {
        if let value { bind(value) } else { bindNull() }
    }

    mutating func bind(_ data: Data) {
        if staged != nil { return stage(data, isText: false) }
        data.withUnsafeBytes { buffer in
            check(sqlite3_bind_blob(handle, next, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), Self.transient))
        }
    }

    /// Runs the statement with the values bound since the last run, then readies it for the next.
    mutating func execute() throws {
        let code: Int32
        if var values = staged.take() {
            code = values.bind(to: handle) {
                let code = sqlite3_step(handle)
                sqlite3_reset(handle)
                return code
            }
            staged = values
        } else {
            code = sqlite3_step(handle)
            sqlite3_reset(handle)
        }
        next = 1
        guard code == SQLITE_DONE else { throw error(code) }
    }

    // MARK: Rows

    /// Steps to the next result row. Returns false after the last one, with the statement reset
    /// and ready to be bound again.
    mutating func nextRow() throws -> Bool {
        precondition(staged == nil, "a statement that stages its values only executes")
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        next = 1
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else { throw error(code) }
        return false
    }

    /// Abandons the rows not yet stepped and readies the statement to be bound again.
    mutating func reset() {
        next = 1
        sqlite3_reset(handle)
    }

    /// Column `index` (from 0) of the current row as an integer.
    func int64(at index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// Column `index` of the current row as a double.
    func double(at index: Int32) -> Double {
        sqlite3_column_double(handle, index)
    }

    /// The storage class of column `index` of the current row: `SQLITE_INTEGER`, `SQLITE_FLOAT`,
    /// `SQLITE_TEXT`, `SQLITE_BLOB` or `SQLITE_NULL`.
    func storageClass(at index: Int32) -> Int32 {
        sqlite3_column_type(handle, index)
    }

    /// Column `index` of the current row as text (a NULL reads as empty).
    func text(at index: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, index) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, index))), as: UTF8.self)
    }

    /// Column `index` of the current row as a blob, valid only inside `body` (SQLite owns it).
    func withBlob<Result>(at index: Int32, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        // Asked for its bytes after the pointer, as SQLite's documentation orders it.
        let pointer = sqlite3_column_blob(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    private mutating func stage(_ bytes: some Collection<UInt8>, isText: Bool) {
        staged!.append(bytes, parameter: next, isText: isText)
        next += 1
    }

    private mutating func check(_ code: Int32) {
        // Binding fails only on a wrong index or an out-of-memory: a bug, not a condition to handle.
        precondition(code == SQLITE_OK, "binding value \(next) of \(statement.sql) failed (\(code))")
        next += 1
    }
}
