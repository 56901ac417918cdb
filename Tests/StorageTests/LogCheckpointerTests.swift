import Foundation
import GRDB
import Testing
@testable import Storage

/// Received batches leave the log's copying to a checkpointer beside the writer: it copies once
/// the log passes its threshold, the writer copies only past its own (so the log stays bounded),
/// and nothing is copied after it stops.
@Suite("Checkpoints beside the writer")
struct LogCheckpointerTests {
    /// A store-like database in WAL mode with one table, in a directory of its own.
    private struct Database {
        let directory: URL
        let pool: DatabasePool
        var path: String { directory.appendingPathComponent("db.sqlite").path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("checkpointer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            pool = try DatabasePool(path: directory.appendingPathComponent("db.sqlite").path)
            try pool.write { db in try db.execute(sql: "CREATE TABLE t (x BLOB)") }
            // The table's creation copied into the database: what follows starts from here.
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        }

        func bytes(_ suffix: String = "") -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? Int) ?? 0
        }

        /// `count` transactions of about three pages each, with `checkpointer`'s hook in place
        /// of SQLite's automatic checkpoint, as a received batch has it.
        func write(_ count: Int, with checkpointer: LogCheckpointer) throws {
            for _ in 0..<count {
                try pool.writeWithoutTransaction { db in
                    checkpointer.takeCheckpoints(of: db)
                    try db.inTransaction {
                        try db.execute(sql: "INSERT INTO t VALUES (randomblob(5000)), (randomblob(5000))")
                        return .commit
                    }
                    try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
                }
            }
        }

        /// Waits up to five seconds for the database file to pass `size` bytes.
        func waitForDatabase(toPass size: Int) -> Bool {
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                if bytes() > size { return true }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return false
        }

        func remove() {
            try? pool.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test("past its threshold the log is copied by the checkpointer, not by the writer")
    func theLogIsCopiedBesideTheWriter() throws {
        let database = try Database()
        defer { database.remove() }
        let before = database.bytes()
        let checkpointer = LogCheckpointer(path: database.path, pages: 16, writerPages: 1_000_000)
        defer { checkpointer.stop() }
        try database.write(40, with: checkpointer)
        #expect(database.waitForDatabase(toPass: before + 40 * 8_192), "database \(database.bytes()) bytes, log \(database.bytes("-wal"))")
    }

    @Test("below both thresholds nothing is copied: the hook stands in for SQLite's automatic checkpoint")
    func belowTheThresholdsNothingIsCopied() throws {
        let database = try Database()
        defer { database.remove() }
        let before = database.bytes()
        let checkpointer = LogCheckpointer(path: database.path, pages: 1_000_000, writerPages: 1_000_000)
        defer { checkpointer.stop() }
        try database.write(40, with: checkpointer)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(database.bytes() == before)
        #expect(database.bytes("-wal") > 40 * 8_192, "the log holds the writes")
    }

    @Test("past the writer's threshold the writer copies, and the log starts over: it stays bounded")
    func theLogStaysBounded() throws {
        let database = try Database()
        defer { database.remove() }
        let checkpointer = LogCheckpointer(path: database.path, pages: 1_000_000, writerPages: 32)
        defer { checkpointer.stop() }
        try database.write(200, with: checkpointer)
        let frame = 4_096 + 24
        // 32 pages, the transaction that passed them, and the log's header: far below 200 × 3 pages.
        #expect(database.bytes("-wal") <= 40 * frame, "log \(database.bytes("-wal")) bytes")
        #expect(try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 400)
    }

    @Test("once stopped it copies nothing, however long the log grows")
    func aStoppedCheckpointerCopiesNothing() throws {
        let database = try Database()
        defer { database.remove() }
        let checkpointer = LogCheckpointer(path: database.path, pages: 16, writerPages: 1_000_000)
        checkpointer.stop()
        let before = database.bytes()
        try database.write(40, with: checkpointer)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(database.bytes() == before)
    }
}
