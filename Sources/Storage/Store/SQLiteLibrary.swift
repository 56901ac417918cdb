internal import CSQLite

/// Process-wide settings of the SQLite library, made once, before the process's first
/// connection: SQLite accepts them only before it is initialised.
enum SQLiteLibrary {
    /// Turns off SQLite's count of the memory it holds (`SQLITE_CONFIG_MEMSTATUS`).
    ///
    /// Why: with the count on, every allocation and free in SQLite takes one process-wide mutex
    /// to update it. A sync reads the store on one connection (what it sends) while it writes
    /// on another (what it receives), and the two threads queued on that mutex: about 0.25 s
    /// asleep on the receiving thread in a 100,000-note first sync (an off-CPU profile). Nothing
    /// here reads the count or sets a heap limit, which are all it serves; SQLite's own
    /// documentation recommends it off (`SQLITE_DEFAULT_MEMSTATUS=0`).
    ///
    /// Has no effect when the process opened a connection first (it is an optimisation, not a
    /// requirement: `Store` works either way).
    static let configured: Bool = fieldnote_sqlite3_config_memstatus(0) == SQLITE_OK
}
