import Foundation
import Testing
import Storage
import SyncCore
@testable import Findings

/// User findings and evidence records as entities of their own kinds in a real store.
@Suite("Findings in the store")
struct FindingsStoreTests {
    static func finding(_ title: String) -> Finding {
        Finding(id: "branch-2025-survey", title: title, publisher: "UNISON branch", authority: "Example Council",
                published: "2025-03", category: .caseloadWorkload, quote: "Caseloads are unmanageable.",
                source: "https://example.org/survey")
    }

    @Test func twoDevicesAddingTheSameIdAgreeOnTheFirst() throws {
        let a = try TemporaryStore(wallClock: { march2026 })
        let b = try TemporaryStore(wallClock: { march2026 + 60_000 })
        try StoreFindingsAdapter(store: a.store).addUserFindings([Self.finding("First")])
        try StoreFindingsAdapter(store: b.store).addUserFindings([Self.finding("Second")])
        try sync(.team, from: a.store, to: b.store)
        try sync(.team, from: b.store, to: a.store)
        for store in [a.store, b.store] {
            #expect(try StoreFindingsAdapter(store: store).userFindings().map(\.title) == ["First"])
            // Findings are not notes.
            #expect(try store.notes(limit: nil).isEmpty)
        }
    }

    @Test func evidenceRecordsAreWrittenInOneTransactionWithTheirReporter() throws {
        let worker = try TemporaryStore(wallClock: { march2026 })
        let adapter = try TestRep().member(worker.store)
        let shared = record("ignored", caseload: 33, worked: 44, paid: 37, supervision: .held,
                            categories: [.caseloadWorkload, .supervision],
                            findings: ["ofsted-worcestershire-2017-caseloads", "swtf-2009-supervision-squeezed-out"])
        let before = try worker.store.status().spaces.first { $0.space == .evidence }?.ops ?? 0
        let id = try adapter.addEvidence(shared)
        #expect(id.count == 32)
        let read = try adapter.evidenceRecords()
        var expected = shared
        expected.reporter = try #require(read.first?.reporter)
        expected.sequence = 1
        #expect(read == [expected])
        #expect(read.first?.reporter != worker.store.replica.hex)
        // create, the fields, the tags and links: all ops of one record, in the evidence space only.
        #expect(try worker.store.status().spaces.first { $0.space == .evidence }?.ops ?? 0 > before)
        #expect(try worker.store.status().spaces.first { $0.space == .team }?.ops ?? 0 == 0)
        #expect(try worker.store.notes(space: .evidence, limit: nil).isEmpty)
    }
}
