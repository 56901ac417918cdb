import Foundation
import Testing
import SyncCore
@testable import Storage

/// Entities of kind finding and evidence: made through `addNotes` drafts, listed by
/// `entities(of:)` with their creator, never among notes, and synced like any entity.
@Suite("Finding and evidence entities")
struct EvidenceKindTests {
    static func evidenceDraft(week: String = "2026-W10", caseload: Int64 = 34) -> NoteDraft {
        NoteDraft(text: "", space: .evidence, tags: ["caseload_workload"],
                  fields: ["week": .string(week), "caseload": .int(caseload)], kind: .evidence,
                  links: ["ofsted-worcestershire-2017-caseloads"])
    }

    static let findingDraft = NoteDraft(text: "", fields: ["finding_id": .string("branch-2025-survey"), "title": .string("Branch survey")],
                                        kind: .finding)

    @Test func findingsAndEvidenceNeverShowAsNotes() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let token = try store.addCase(alias: "the Smiths")
        let note = try store.addNote(text: "Caseload 34 and far too large", caseToken: token, fields: ["caseload": .int(34)])
        let ids = try store.addNotes([Self.evidenceDraft(), Self.findingDraft])

        #expect(try store.notes(limit: nil).map(\.id) == [note])
        #expect(try store.notes(space: .evidence, limit: nil).isEmpty)
        #expect(try store.notes(caseToken: token, limit: nil).map(\.id) == [note])
        #expect(try store.search("caseload").map(\.id) == [note])
        #expect(try store.search("Branch").isEmpty)
        #expect(try store.status().spaces.map(\.notes).reduce(0, +) == 1)
        #expect(throws: StoreError.self) { try store.note(ids[0]) }
        #expect(throws: StoreError.self) { try store.resolve(prefix: ids[0].hex) }
        #expect(throws: StoreError.self) { try store.link(note: ids[0], to: "x-finding") }

        let evidence = try #require(try store.entities(of: .evidence).first)
        #expect(evidence.id == ids[0] && evidence.kind == .evidence && evidence.space == .evidence)
        #expect(evidence.fields == ["week": .string("2026-W10"), "caseload": .int(34)])
        #expect(evidence.tags == ["caseload_workload"] && evidence.links == ["ofsted-worcestershire-2017-caseloads"])
        #expect(evidence.creator == store.replica)
        let finding = try #require(try store.entities(of: .finding, space: .team).first)
        #expect(finding.id == ids[1] && finding.fields["title"] == .string("Branch survey"))
        #expect(try store.entities(of: .finding, space: .evidence).isEmpty)
    }

    @Test func draftsOfEachKindAreChecked() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let token = try store.addCase()
        var withCase = Self.evidenceDraft()
        withCase.caseToken = token
        var badMetric = Self.evidenceDraft()
        badMetric.fields["caseload"] = .int(5_000)
        var numericFinding = Self.findingDraft
        numericFinding.fields["title"] = .int(3)
        var badLink = Self.evidenceDraft()
        badLink.links = ["two words"]
        let caseDraft = NoteDraft(text: "", kind: .caseReference)
        let before = try directory.fileBytes()
        for draft in [withCase, badMetric, numericFinding, badLink, caseDraft] {
            // One bad draft refuses the whole batch, the good one beside it included.
            #expect(throws: StoreError.self, "\(draft)") { try store.addNotes([Self.evidenceDraft(), draft]) }
        }
        #expect(try store.entities(of: .evidence).isEmpty)
        try store.close()
        #expect(try directory.fileBytes()["store.sqlite"] == before["store.sqlite"])
    }

    @Test func evidenceSyncsInItsSpaceAndKeepsItsReporter() throws {
        let workerDirectory = TemporaryDirectory(), repDirectory = TemporaryDirectory()
        let worker = try workerDirectory.store(), rep = try repDirectory.store()
        try worker.addNotes([Self.evidenceDraft(), Self.findingDraft])
        try worker.addNote(text: "a team note")
        try rep.apply(allOps(worker, in: .evidence))
        let received = try rep.entities(of: .evidence)
        #expect(received.count == 1)
        #expect(received.first?.creator == worker.replica)
        #expect(received.first?.fields == (try worker.entities(of: .evidence).first?.fields))
        // Nothing of the team space came along: neither the finding nor the note.
        #expect(try rep.entities(of: .finding).isEmpty)
        #expect(try rep.notes(limit: nil).isEmpty)

        // A rep who also held the team space would get the finding, with its creator.
        try rep.apply(allOps(worker, in: .team))
        #expect(try rep.entities(of: .finding).map(\.creator) == [worker.replica])
    }
}
