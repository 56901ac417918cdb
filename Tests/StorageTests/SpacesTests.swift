import Foundation
import Testing
import SyncCore
@testable import Storage

@Suite("Spaces and the bin")
struct SpacesTests {
    @Test func teamAndEvidenceAlwaysExistOthersOnceMade() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        #expect(try store.knownSpaces() == [.evidence, .team])
        let family = try SpaceID("family")
        #expect(try store.makeSpace(family))
        #expect(try !store.makeSpace(family), "making it again changes nothing")
        #expect(try !store.makeSpace(.team))
        #expect(try store.knownSpaces() == [.evidence, family, .team])

        // Made spaces are local: they survive reopening and are not in the op log.
        try store.close()
        let reopened = try directory.store()
        #expect(try reopened.knownSpaces() == [.evidence, family, .team])
        #expect(try reopened.versionVectors().isEmpty)
    }

    @Test func aSpaceWhoseOpsArriveFromAPeerIsKnown() throws {
        let sourceDirectory = TemporaryDirectory(), targetDirectory = TemporaryDirectory()
        let source = try sourceDirectory.store()
        let family = try SpaceID("family")
        try source.makeSpace(family)
        try source.addNote(text: "Hearing moved to Friday", space: family)
        let target = try targetDirectory.store()
        #expect(try !target.knownSpaces().contains(family))
        try target.apply(try allOps(source, in: family))
        #expect(try target.knownSpaces().contains(family))
        let summary = try #require(try target.spaceSummaries().first { $0.space == family })
        #expect(summary.origin == .synced && summary.notes == 1)
        #expect(try source.spaceSummaries().first { $0.space == family }?.origin == .made)
    }

    @Test func summariesCountLiveAndBinnedNotesPerSpace() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let ids = try store.addNotes((0..<4).map { NoteDraft(text: "team note \($0)") })
        try store.addNote(text: "Week: caseload 27", space: .evidence)
        try store.delete(note: ids[0])
        try store.delete(note: ids[1])
        try store.purge(note: ids[1])
        let summaries = try store.spaceSummaries()
        #expect(summaries.map(\.space) == [.evidence, .team])
        #expect(summaries.map(\.origin) == [.builtIn, .builtIn])
        #expect(summaries.map(\.notes) == [1, 2])
        #expect(summaries.map(\.binnedNotes) == [0, 1], "a purged note is not in the bin")
    }

    @Test func binnedNotesListsTheBinMostRecentlyBinnedFirst() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let ids = try store.addNotes((0..<4).map { NoteDraft(text: "note \($0)") })
        let evidence = try store.addNote(text: "evidence note", space: .evidence)
        try store.delete(note: ids[2])
        try store.delete(note: ids[0])
        try store.delete(note: evidence)
        #expect(try store.binnedNotes().map(\.id) == [evidence, ids[0], ids[2]])
        #expect(try store.binnedNotes(space: .team).map(\.id) == [ids[0], ids[2]])
        #expect(try store.binnedNotes(limit: 1).map(\.id) == [evidence])
        #expect(try store.binnedNotes().allSatisfy(\.deleted))

        try store.restore(note: ids[0])
        try store.purge(note: ids[2])
        #expect(try store.binnedNotes().map(\.id) == [evidence])
        #expect(try store.notes().map(\.id).contains(ids[0]))
    }
}
