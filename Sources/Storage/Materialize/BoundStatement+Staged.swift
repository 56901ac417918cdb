import GRDBSQLite

extension BoundStatement {
    /// Texts and blobs bound to a statement, end to end in one buffer the statement keeps: bound
    /// `SQLITE_STATIC` (SQLite reads them in place) for one step, and unbound before the buffer
    /// is used again.
    ///
    /// Why: the system's SQLite is built without its lookaside allocator (`OMIT_LOOKASIDE`), so
    /// every text or blob bound `SQLITE_TRANSIENT` was a `malloc` and a `free` of its copy: about
    /// 35 of each for every note a sync received, on the thread that sets the sync's pace (a
    /// uprobe count). Staged, a multi-row insert's values reuse one buffer (`ChunkedInsert`).
    struct Staged {
        private var bytes: [UInt8] = []
        private var values: [Value] = []

        private struct Value {
            let parameter: Int32
            let start: Int
            let count: Int
            let isText: Bool
        }

        mutating func append(_ value: some Collection<UInt8>, parameter: Int32, isText: Bool) {
            values.append(Value(parameter: parameter, start: bytes.count, count: value.count, isText: isText))
            bytes.append(contentsOf: value)
        }

        /// Binds the values staged, runs `step`, then unbinds every parameter, so that no
        /// pointer into the buffer outlives this call; the buffer is kept for the next values.
        mutating func bind(to handle: OpaquePointer, around step: () -> Int32) -> Int32 {
            defer {
                bytes.removeAll(keepingCapacity: true)
                values.removeAll(keepingCapacity: true)
            }
            return bytes.withUnsafeBytes { buffer in
                // Never NULL, even for an empty buffer: a NULL pointer would bind SQL NULL, not an
                // empty text or blob.
                let base = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                for value in values {
                    let pointer = base + value.start
                    let code = value.isText
                        ? sqlite3_bind_text(handle, value.parameter, pointer.assumingMemoryBound(to: CChar.self), Int32(value.count), nil)
                        : sqlite3_bind_blob(handle, value.parameter, pointer, Int32(value.count), nil)
                    // As for every bind: only a wrong index or an out-of-memory fails, a bug.
                    precondition(code == SQLITE_OK, "binding staged value \(value.parameter) failed (\(code))")
                }
                let code = step()
                sqlite3_clear_bindings(handle)
                return code
            }
        }
    }
}
