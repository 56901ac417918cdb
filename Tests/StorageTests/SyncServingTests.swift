import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

@Suite("Serving ops above a version vector")
struct SyncServingTests {
    /// For many vectors and page sizes, paging returns exactly the ops the vector lacks, each once,
    /// in (timestamp, replica, seq) order, and the pages applied in turn to a store holding that
    /// vector's ops never need to park anything: the order is causal.
    @Test(arguments: [1 as UInt64, 7])
    func pagesAreCompleteOrderedAndCausal(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let directories = (0..<4).map { _ in TemporaryDirectory() }
        let makers = try directories[0..<3].map { try $0.store() }
        var notes: [EntityID] = []
        for _ in 0..<5 {
            for store in makers {
                for _ in 0..<5 { try ApplyTests.randomEdit(store, notes: &notes, random: &random) }
                let other = makers.randomElement(using: &random)!
                try store.apply(allOps(other, above: store.versionVector(.team)))
            }
        }
        let server = makers[0]
        for store in makers.dropFirst() { try server.apply(allOps(store)) }
        let full = try allOps(server, pageSize: 1_000_000)
        let held = try server.versionVector(.team)
        #expect(full.map(\.span).reduce(0, +) == held.total)
        #expect(zip(full, full.dropFirst()).allSatisfy { Stamp.order($0, $1) })

        // Vectors: empty, each maker's own, and random cuts of the full one.
        var vectors = [VersionVector()] + (try makers.map { try $0.versionVector(.team) })
        for _ in 0..<6 {
            vectors.append(VersionVector(held.entries.mapValues { UInt64.random(in: 0...$0, using: &random) }))
        }
        for vector in vectors {
            let expected = full.filter { $0.lastSeq > vector[$0.id.replica] }
            for pageSize in [1, 3, 50] {
                let paged = try allOps(server, above: vector, pageSize: pageSize)
                #expect(paged == expected, "vector \(vector), page size \(pageSize)")
            }
        }

        // A store holding a causally closed prefix catches up page by page with nothing parked.
        let lagging = try directories[3].store()
        let prefix = Array(full.prefix(full.count / 3))
        try lagging.apply(prefix)
        var cursor: OpCursor? = nil
        let vector = try lagging.versionVector(.team)
        repeat {
            let page = try server.ops(in: .team, above: vector, after: cursor, limit: 7)
            let result = try lagging.apply(page.ops)
            #expect(result.parked == 0)
            cursor = page.next
        } while cursor != nil
        #expect(try allRecords(lagging) == allRecords(server))
    }

    /// Three devices whose clocks read the same millisecond write notes whose ops (stored as one
    /// row per note) interleave in the log: (t, A), (t, B), (t, C), (t+1, A)… A store holding them
    /// all serves them in exact (timestamp, replica, seq) order at every page size, each op once,
    /// and a fresh store fed page by page parks nothing.
    @Test func interleavedGroupsAreServedInExactOrder() throws {
        let directories = (0..<5).map { _ in TemporaryDirectory() }
        let writers = try directories[0..<3].map { try $0.store(wallClock: { 1_767_225_600_000 }) }
        for (index, writer) in writers.enumerated() {
            try writer.addNotes((0..<40).map { note in
                NoteDraft(text: "note \(note) of \(index)", tags: ["a", "b"], fields: ["caseload": .int(Int64(note))])
            })
        }
        let server = try directories[3].store()
        for writer in writers { try server.apply(allOps(writer, pageSize: 1_000_000)) }
        let groups = try server.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM ops WHERE op_count > 1") }
        #expect(groups == 120)
        let expected = try writers.flatMap { try allOps($0, pageSize: 1_000_000) }.sorted(by: LogOrderMerge.precedes)
        #expect(expected.count == 3 * 40 * 5)
        for pageSize in [1, 5, 6, 7, 100, 1_000_000] {
            #expect(try allOps(server, pageSize: pageSize) == expected, "page size \(pageSize)")
        }
        let lagging = try directories[4].store()
        var cursor: OpCursor? = nil
        repeat {
            let page = try server.ops(in: .team, above: VersionVector(), after: cursor, limit: 9)
            #expect(try lagging.apply(page.ops).parked == 0)
            cursor = page.next
        } while cursor != nil
        #expect(try allRecords(lagging) == allRecords(server))
    }

    /// The query walks the log's primary key, which is the serving order, instead of sorting the log.
    @Test func servingUsesTheIndex() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        try store.addNote(text: "x")
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops
                WHERE space = ? AND (hlc_ms, hlc_counter, replica, seq) > (?, ?, ?, ?) AND ((+replica = ? AND last_seq > ?))
                ORDER BY hlc_ms, hlc_counter, replica, seq LIMIT 10
                """, arguments: ["team", 0, 0, Data(count: 16), 0, Data(count: 16), 0]).map { $0["detail"] as String }.joined(separator: " | ")
        }
        #expect(plan.contains("SEARCH ops USING PRIMARY KEY (space=?"))
        #expect(!plan.contains("TEMP B-TREE"))
    }

    /// A peer that lacks only the last few ops of a long log gets exactly them, and the walk for
    /// them starts near the end of the log (at a mark within `OpMarks.interval` seqs, give or take one op's run), not
    /// at its beginning: the cost of a sync follows the delta, not the size of the store.
    @Test func theWalkStartsNearThePeersFirstMissingOp() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        // One transaction of 300 notes (7 ops each): marks within it come from the interval.
        try store.addNotes((0..<300).map { index in
            NoteDraft(text: "note \(index)", tags: ["a", "b"], fields: ["caseload": .int(Int64(index % 40))])
        })
        let full = try allOps(store, pageSize: 1_000_000)
        let held = try store.versionVector(.team)
        var random = SplitMix64(seed: 3)
        for _ in 0..<20 {
            let cut = UInt64.random(in: 0...held[store.replica], using: &random)
            let vector = VersionVector([store.replica: cut])
            let expected = full.filter { $0.lastSeq > cut }
            #expect(try allOps(store, above: vector, pageSize: 64) == expected, "cut at \(cut)")
            let start = try store.read { db in
                try OpMarks.start(in: .team, lagging: held.missing(from: vector), db)
            }
            guard let start, let firstMissing = expected.first else { continue }
            #expect(start <= firstMissing.timestamp)
            let walked = full.filter { $0.timestamp >= start }.map(\.span).reduce(0, +)
            #expect(walked <= expected.map(\.span).reduce(0, +) + OpMarks.interval + 16, "cut at \(cut): \(walked) seqs walked")
        }
    }

    @Test func anUpToDatePeerGetsNothing() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        try store.addNote(text: "one")
        let page = try store.ops(in: .team, above: store.versionVector(.team))
        #expect(page.ops.isEmpty && page.next == nil)
        #expect(try store.ops(in: .evidence, above: VersionVector()).ops.isEmpty)
    }
}

extension Stamp {
    /// Serving order: (timestamp, replica, seq), strictly increasing.
    static func order(_ lhs: Op, _ rhs: Op) -> Bool {
        (lhs.timestamp, lhs.id.replica, lhs.id.seq) < (rhs.timestamp, rhs.id.replica, rhs.id.seq)
    }
}
