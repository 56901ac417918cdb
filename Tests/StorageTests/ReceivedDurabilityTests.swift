import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

/// Received batches commit with `synchronous=NORMAL`, local edits with FULL, and the connection
/// never keeps NORMAL past a received batch. A process killed after a batch committed and
/// before its notes were indexed keeps the batch and the backlog; the next search drains it.
/// (A power cut itself cannot be simulated here; what it may lose is in SECURITY.md.)
@Suite("Received batch durability")
struct ReceivedDurabilityTests {
    static let storeVariable = "FIELDNOTE_BACKLOG_CHILD_STORE"
    static let sourceVariable = "FIELDNOTE_BACKLOG_CHILD_SOURCE"

    static func synchronous(_ store: Store, receivedFromPeer: Bool) throws -> Int {
        try store.write(receivedFromPeer: receivedFromPeer) { session in
            try Int.fetchOne(session.db, sql: "PRAGMA synchronous") ?? -1
        }
    }

    @Test func receivedBatchesCommitNormalAndLocalEditsFull() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        #expect(try Self.synchronous(store, receivedFromPeer: false) == 2)
        #expect(try Self.synchronous(store, receivedFromPeer: true) == 1)
        #expect(try Self.synchronous(store, receivedFromPeer: false) == 2)
        // A received batch that fails leaves FULL behind too.
        #expect(throws: StoreError.self) {
            try store.write(receivedFromPeer: true) { _ in throw StoreError(.invalidArgument, "refused") }
        }
        #expect(try Self.synchronous(store, receivedFromPeer: false) == 2)
        // And so does the public path, and draining the search backlog.
        let sourceDirectory = TemporaryDirectory("source")
        let source = try sourceDirectory.store()
        try source.addNotes([NoteDraft(text: "harbour visit")])
        try store.apply(try allOps(source))
        #expect(try store.updateSearchIndex() == 1)
        #expect(try store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
    }

    @Test func killedAfterABatchKeepsItAndItsBacklog() throws {
        let sourceDirectory = TemporaryDirectory("source")
        let source = try sourceDirectory.store()
        try source.addNotes((0..<200).map { NoteDraft(text: "harbour visit \($0)", tags: ["visits"]) })
        let sourceOps = try allOps(source, pageSize: 1_000).count
        try source.close()

        let directory = TemporaryDirectory()
        try directory.store().close()
        let applied = directory.url.path + ".applied"
        let child = try ChildWorker(filter: "backlogChildWorker", environment: [
            Self.storeVariable: directory.url.path, Self.sourceVariable: sourceDirectory.url.path,
        ], waitingFor: applied)
        #expect(FileManager.default.fileExists(atPath: applied))
        child.kill()

        let reopened = try directory.store()
        #expect(try reopened.status().isIntact)
        #expect(try reopened.status().spaces.first?.ops == sourceOps)
        #expect(try reopened.unindexedNotes() == 200)
        #expect(try reopened.search("harbour", limit: nil).count == 200)
        #expect(try reopened.unindexedNotes() == 0)
    }

    /// The child's side: applies the batch, says so, and waits to be killed before any search.
    @Test func backlogChildWorker() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment[Self.storeVariable], let sourcePath = environment[Self.sourceVariable] else { return }
        let store = try Store(directory: URL(fileURLWithPath: path))
        let source = try Store(directory: URL(fileURLWithPath: sourcePath))
        try store.apply(try allOps(source, pageSize: 1_000))
        _ = FileManager.default.createFile(atPath: path + ".applied", contents: nil)
        sleep(30)
    }
}
