import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

@Suite("Opening a store")
struct StoreOpeningTests {
    @Test func createsOnceThenReopensWithTheSameReplica() throws {
        let directory = TemporaryDirectory()
        let first = try directory.store()
        #expect(first.wasCreated)
        let replica = first.replica
        try first.close()
        let second = try directory.store()
        #expect(!second.wasCreated)
        #expect(second.replica == replica)
    }

    /// An empty database file (as left by a crash before the first transaction) migrates cleanly.
    @Test func migratesFromAnEmptyFile() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.url.appendingPathComponent("store.sqlite").path, contents: Data())
        let store = try directory.store()
        #expect(store.wasCreated)
        let tables = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["case_aliases", "entities", "fields", "fts", "note_text", "ops", "pending", "set_elements", "settings", "versions"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let applied = try store.read { db in try Migrations.migrator.appliedMigrations(db) }
        #expect(applied == Migrations.migrator.migrations)
        #expect(try store.status().isIntact)
    }

    @Test func connectionSettings() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let writer = try store.pool.write { db in
            [try String.fetchOne(db, sql: "PRAGMA journal_mode"), try String.fetchOne(db, sql: "PRAGMA synchronous"),
             try String.fetchOne(db, sql: "PRAGMA foreign_keys"), try String.fetchOne(db, sql: "PRAGMA secure_delete"),
             try String.fetchOne(db, sql: "PRAGMA temp_store")]
        }
        // temp_store 2: statement journals in memory, never in a file outside the store.
        #expect(writer == ["wal", "2", "1", "1", "2"])
        let reader = try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA secure_delete") }
        #expect(reader == "1")
    }

    /// A new store gets 16 KB pages; a store whose database already has SQLite's 4 KB pages
    /// keeps them (SQLite cannot change a WAL database's page size), and works as any other.
    @Test func newStoresHaveLargePagesAndOlderOnesKeepTheirs() throws {
        let fresh = TemporaryDirectory()
        let store = try fresh.store()
        #expect(try store.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 16_384)

        let older = TemporaryDirectory()
        try FileManager.default.createDirectory(at: older.url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = StoreLocation(directory: older.url).databaseURL.path
        try DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE made_before (x)")
        }
        let reopened = try older.store()
        let id = try reopened.addNote(text: "on small pages", tags: ["caseload"], fields: ["caseload": .int(31)])
        #expect(try reopened.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 4_096)
        #expect(try reopened.note(id).text == "on small pages")
        #expect(try reopened.status().isIntact)
    }

    @Test func directoryIsPrivateAndFilesAreOwnerOnly() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        try store.addNote(text: "mode check")
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue & 0o777
        }
        #expect(try mode(directory.url.path) == 0o700)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(names.contains("store.sqlite-wal"))
        for name in names {
            #expect(try mode(directory.url.appendingPathComponent(name).path) == 0o600, "\(name)")
        }
    }

    @Test func anExistingEmptyDirectoryIsTightened() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let store = try directory.store()
        let mode = (try FileManager.default.attributesOfItem(atPath: directory.url.path)[.posixPermissions] as! NSNumber).intValue & 0o777
        #expect(mode == 0o700)
        #expect(try store.name() == nil)
        try store.setName("laptop")
        #expect(try store.name() == "laptop")
    }

    @Test func aFileInTheWayIsAClearError() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.url.path, contents: Data("x".utf8))
        #expect { try directory.store() } throws: { ($0 as? StoreError)?.code == .cannotOpen }
    }
}
