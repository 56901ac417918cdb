import Foundation
import Testing
import Storage
import SyncCore
@testable import Findings

@Suite("Evidence")
struct EvidenceTests {
    static let body = "Home visit: the mother said the boiler is broken again and the youngest has not been at nursery"

    @Test func isoWeeks() throws {
        #expect(ISOWeek(date: Date(timeIntervalSince1970: Double(march2026) / 1000)).description == "2026-W10")
        // 3 January 2021 (a Sunday) belongs to 2020-W53; 31 December 2024 to 2025-W01.
        #expect(ISOWeek(date: Date(timeIntervalSince1970: 1_609_675_200)).description == "2020-W53")
        #expect(ISOWeek(date: Date(timeIntervalSince1970: 1_735_646_400)).description == "2025-W01")
        #expect(ISOWeek("2026-w7")?.description == "2026-W07")
        #expect(ISOWeek("2021-W53") == nil, "2021 has 52 weeks")
        #expect(ISOWeek("2020-W53")?.next.description == "2021-W01")
        #expect(ISOWeek("2026-W10")! < ISOWeek("2026-W11")!)
        #expect(ISOWeek("nonsense") == nil)
    }

    @Test func recordCarriesWeekMetricsCategoriesAndLinksOnly() throws {
        let temporary = try TemporaryStore(wallClock: { march2026 })
        let store = temporary.store
        let token = try store.addCase(alias: "Smith family")
        let id = try store.addNote(text: Self.body, caseToken: token, tags: ["homevisit"], fields: [
            "caseload": .int(34), "hours_worked": .double(46.5), "hours_paid": .int(37), "supervision": .string("cancelled"),
            "incident": .string("boiler broken at the family home"),
        ])
        try store.link(note: id, to: "ofsted-worcestershire-2017-caseloads")
        try store.link(note: id, to: "swtf-2009-supervision-squeezed-out")
        let note = try store.note(id)
        let record = try Evidence.record(from: note, catalog: try FindingsCatalog())

        #expect(record.week.description == "2026-W10")
        #expect(record.metrics == EvidenceMetrics(caseload: 34, hoursWorked: 46.5, hoursPaid: 37, supervision: .cancelled))
        #expect(record.metrics.unpaidHours == 9.5)
        #expect(record.categories == [.caseloadWorkload, .supervision])
        #expect(record.findings == ["ofsted-worcestershire-2017-caseloads", "swtf-2009-supervision-squeezed-out"])
        #expect(record.excerpt == nil)

        let bytes = [UInt8](record.sharedJSON)
        for secret in [token, token.replacingOccurrences(of: "-", with: ""), "Smith", "boiler", "nursery", "Home visit", "homevisit",
                       "incident", id.hex, "2026-03-04", String(march2026 / 1000)] {
            #expect(!contains(bytes, secret), "shared JSON contains \(secret)")
        }
        let json = String(decoding: record.sharedJSON, as: UTF8.self)
        #expect(json == #"{"categories":["caseload_workload","supervision"],"findings":["ofsted-worcestershire-2017-caseloads","swtf-2009-supervision-squeezed-out"],"metrics":{"caseload":34,"hours_paid":37,"hours_worked":46.5,"supervision":"cancelled"},"week":"2026-W10"}"#)
        #expect(try JSONDecoder().decode(EvidenceRecord.self, from: record.sharedJSON) == record)
    }

    @Test func weekFieldWinsOverTheCreationDate() throws {
        let temporary = try TemporaryStore(wallClock: { march2026 })
        let id = try temporary.store.addNote(text: "x", fields: ["week": .string("2026-W02"), "caseload": .int(20)])
        let record = try Evidence.record(from: try temporary.store.note(id), catalog: try FindingsCatalog())
        #expect(record.week.description == "2026-W02")
    }

    @Test func excerptIsCheckedForTokensAndAliases() throws {
        let temporary = try TemporaryStore(wallClock: { march2026 })
        let store = temporary.store
        let token = try store.addCase(alias: "Smith family")
        let id = try store.addNote(text: Self.body, caseToken: token, fields: ["caseload": .int(30)])
        let note = try store.note(id)
        let catalog = try FindingsCatalog()

        let shared = try Evidence.record(from: note, catalog: catalog, excerpt: "  Third cancelled supervision this month.  ", alias: "Smith family")
        #expect(shared.excerpt == "Third cancelled supervision this month.")

        for bad in ["about \(token)", "about \(token.lowercased())", "about C-2345-6789", "about c-ABCD-EFGH today",
                    "visited the SMITH FAMILY", "", String(repeating: "x", count: 281)] {
            let error = #expect(throws: FindingsError.self, "\(bad)") {
                try Evidence.record(from: note, catalog: catalog, excerpt: bad, alias: "Smith family")
            }
            #expect(error?.code == .invalidEvidence)
        }
    }

    @Test func unknownLinksAndEmptyNotesAreRefused() throws {
        let temporary = try TemporaryStore(wallClock: { march2026 })
        let store = temporary.store
        let empty = try store.addNote(text: "nothing measurable")
        let error = #expect(throws: FindingsError.self) { try Evidence.record(from: try store.note(empty), catalog: try FindingsCatalog()) }
        #expect(error?.code == .invalidEvidence)

        try store.link(note: empty, to: "no-such-finding")
        let unknown = #expect(throws: FindingsError.self) { try Evidence.record(from: try store.note(empty), catalog: try FindingsCatalog()) }
        #expect(unknown?.code == .unknownFinding)

        let deleted = try store.addNote(text: "x", fields: ["caseload": .int(3)])
        try store.delete(note: deleted)
        #expect(throws: FindingsError.self) { try Evidence.record(from: try store.note(deleted), catalog: try FindingsCatalog()) }
    }

    @Test func previewShowsExactlyWhatLeaves() throws {
        let record = EvidenceRecord(week: ISOWeek("2026-W10")!, metrics: EvidenceMetrics(caseload: 34, hoursWorked: 45, hoursPaid: 37),
                                    categories: [.caseloadWorkload], findings: ["ofsted-worcestershire-2017-caseloads"],
                                    excerpt: "Too many cases.")
        let preview = Evidence.preview(record, sealedFor: ["Rosa"], catalog: try FindingsCatalog())
        #expect(preview.json == String(decoding: record.sharedJSON, as: UTF8.self))
        #expect(preview.text.contains("2026-W10"))
        #expect(preview.text.contains("caseload            34"))
        #expect(preview.text.contains("hours_worked        45"))
        #expect(preview.text.contains("Worcestershire: caseloads remain too large"))
        #expect(preview.text.contains("\"Too many cases.\""))
        #expect(preview.text.contains("Sealed so that only Rosa (union rep) and your own devices can read it."))
        #expect(preview.text.contains("It does not name you or this device"))
        #expect(preview.text.contains("Not shared"))
        #expect(preview.text.contains(preview.json))
    }

    /// Share through the store adapter, sync the evidence space to a rep's store, and look at the
    /// rep's database files byte by byte.
    @Test func repReceivesNoCaseTokenAliasOrNoteText() throws {
        let worker = try TemporaryStore(wallClock: { march2026 })
        let rep = try TemporaryStore(wallClock: { march2026 })
        let token = try worker.store.addCase(alias: "Smith family")
        let id = try worker.store.addNote(text: Self.body, caseToken: token, tags: ["homevisit"],
                                          fields: ["caseload": .int(34), "supervision": .string("held")])
        try worker.store.link(note: id, to: "ofsted-worcestershire-2017-caseloads")
        let catalog = try FindingsCatalog()
        let record = try Evidence.record(from: try worker.store.note(id), catalog: catalog, excerpt: "Caseload went up again.", alias: "Smith family")
        let union = try TestRep()
        try union.member(worker.store).addEvidence(record)

        try sync(.evidence, from: worker.store, to: rep.store)
        let received = try union.reading(rep.store).evidenceRecords()
        #expect(received.count == 1)
        var expected = record
        expected.reporter = try #require(received.first?.reporter)
        expected.sequence = 1
        #expect(received.first == expected)
        #expect(expected.reporter != worker.store.replica.hex, "the reporter is the person's key for the month, not the device")
        #expect(try rep.store.notes(space: .team, limit: nil).isEmpty)

        try rep.store.close()
        let files = try rep.fileBytes()
        #expect(!files.isEmpty)
        for (name, bytes) in files {
            for secret in [token, token.replacingOccurrences(of: "-", with: ""), "Smith", "boiler", "nursery", "Home visit", "homevisit", id.hex] {
                #expect(!contains(bytes, secret), "\(name) contains \(secret)")
            }
        }
        #expect(!files.values.contains { contains($0, "Caseload went up again.") }, "the excerpt travels sealed")
        #expect(received.first?.excerpt == "Caseload went up again.", "and the rep reads it")
    }

    @Test func userFindingsTravelThroughTheStore() throws {
        let a = try TemporaryStore()
        let b = try TemporaryStore()
        let finding = Finding(id: "branch-2025-caseloads", title: "Branch survey", publisher: "UNISON branch", authority: "Example Council",
                              published: "2025-03", category: .caseloadWorkload, quote: "Caseloads are unmanageable.",
                              source: "https://example.org/survey")
        let catalog = try FindingsCatalog().adding(finding)
        try StoreFindingsAdapter(store: a.store).addUserFindings(catalog.userFindings)
        try sync(.team, from: a.store, to: b.store)
        let synced = try StoreFindingsAdapter(store: b.store).userFindings()
        #expect(synced == [finding])
        #expect(try FindingsCatalog(userFindings: synced).finding("branch-2025-caseloads") == finding)
    }

    @Test func inMemoryStoreRefusesDuplicateUserFindings() throws {
        let memory = InMemoryFindingsStore(reporter: "r1")
        let finding = Finding(id: "branch-2025-x", title: "T", publisher: "P", authority: "A", published: "2025",
                              category: .workforce, quote: "Q", source: "https://example.org")
        try memory.addUserFindings([finding])
        #expect(throws: FindingsError.self) { try memory.addUserFindings([finding]) }
        try memory.addEvidence(record("ignored"))
        #expect(try memory.evidenceRecords().first?.reporter == "ignored")
    }
}
