import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

@Suite("Purge erases for real")
struct PurgeTests {
    static let marker = "Zqxjvarnoblekpt"
    static let tagMarker = "wyrmtagquorble"
    static let fieldMarker = "plonkfieldvexar"

    /// Writes notes carrying marker words in text, tags and a field value, with edits so the
    /// marker is in several ops, FTS segments and WAL frames.
    static func writeMarkedNote(_ store: Store) throws -> EntityID {
        try store.addNotes((0..<30).map { NoteDraft(text: "Filler note \($0) about caseload and visits", tags: ["filler"]) })
        let id = try store.addNote(
            text: "Child disclosed to \(marker) at school", tags: [tagMarker],
            fields: ["incident": .string("\(fieldMarker) escalation"), "caseload": .int(30)])
        try store.editText(note: id, newText: "Child disclosed to \(marker) at school; \(marker) again")
        try store.addNotes((0..<30).map { NoteDraft(text: "More filler \($0)", tags: ["filler"]) })
        #expect(try store.search(marker).map(\.id) == [id])
        return id
    }

    static func expectNoMarkers(in directory: TemporaryDirectory) throws {
        let files = try directory.fileBytes()
        #expect(files.keys.contains("store.sqlite"))
        for (name, bytes) in files {
            for word in [marker, tagMarker, fieldMarker] {
                #expect(!contains(bytes, Array(word.utf8)), "\(word) found in \(name)")
                #expect(!contains(bytes, Array(word.lowercased().utf8)), "\(word.lowercased()) found in \(name)")
            }
        }
    }

    /// The test is only meaningful if the markers are on disk before the purge.
    @Test func markersAreOnDiskBeforePurge() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        _ = try Self.writeMarkedNote(store)
        try store.close()
        let all = try directory.fileBytes().values.reduce(into: [UInt8]()) { $0 += $1 }
        #expect(contains(all, Array(Self.marker.lowercased().utf8))) // the FTS index holds tokens in lower case
        #expect(contains(all, Array(Self.marker.utf8)))
        #expect(contains(all, Array(Self.tagMarker.utf8)))
    }

    @Test func localPurgeLeavesNoBytes() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try Self.writeMarkedNote(store)
        try store.purge(note: id)
        #expect(try store.search(Self.marker).isEmpty)
        #expect(try store.note(id).purged)
        try store.close()
        try Self.expectNoMarkers(in: directory)
        // Still a healthy store afterwards, with its other notes.
        let reopened = try directory.store()
        #expect(try reopened.status().isIntact)
        #expect(try reopened.notes(limit: nil).count == 60)
    }

    /// A purge op from a peer erases the same way; ops of the note that arrive afterwards are logged erased.
    @Test func remotePurgeLeavesNoBytes() throws {
        let authorDirectory = TemporaryDirectory()
        let author = try authorDirectory.store()
        let id = try Self.writeMarkedNote(author)
        let receiverDirectory = TemporaryDirectory()
        let receiver = try receiverDirectory.store()
        let beforePurge = try allOps(author)
        // Some of the note's ops arrive out of order and wait in `pending` when the purge lands.
        let markerOps = beforePurge.filter { $0.entity == id }
        let held = beforePurge.filter { $0 != markerOps.last! }
        try receiver.apply(held)
        try author.purge(note: id)
        try receiver.apply(allOps(author, above: receiver.versionVector(.team)))
        #expect(try receiver.note(id).purged)
        #expect(try receiver.status().pendingOps == 0)
        try receiver.close()
        try Self.expectNoMarkers(in: receiverDirectory)

        // A third store that receives the whole (erased) log never sees the markers at all.
        let lateDirectory = TemporaryDirectory()
        let late = try lateDirectory.store()
        try late.apply(allOps(author))
        #expect(try late.note(id).purged)
        #expect(try late.history(id).first?.summary == "created note") // the create keeps its kind
        try late.close()
        try Self.expectNoMarkers(in: lateDirectory)
    }

    /// A purge that arrives while a later op of the note waits in `pending` erases that op too.
    @Test func parkedOpsOfAPurgedNoteAreErased() throws {
        let authorDirectory = TemporaryDirectory()
        let author = try authorDirectory.store()
        let id = try author.addNote(text: "plain start")
        let receiverDirectory = TemporaryDirectory()
        let receiver = try receiverDirectory.store()
        let otherDirectory = TemporaryDirectory()
        let other = try otherDirectory.store()
        try receiver.apply(allOps(author))
        try other.apply(allOps(author))
        let base = try receiver.versionVector(.team)
        try author.editText(note: id, newText: "plain start, then")
        let firstEdit = try allOps(author, above: base)
        try author.editText(note: id, newText: "plain start, then \(Self.marker)")
        let secondEdit = try allOps(author, above: base).filter { !firstEdit.contains($0) }
        // The second edit arrives first: it must wait for the first.
        #expect(try receiver.apply(secondEdit).parked == secondEdit.count)
        try other.purge(note: id)
        try receiver.apply(allOps(other, above: base).filter { $0.id.replica == other.replica })
        // Erased while still parked: the marker is gone before the op could ever apply.
        try receiver.close()
        try Self.expectNoMarkers(in: receiverDirectory)
        let reopened = try receiverDirectory.store()
        #expect(try reopened.status().pendingOps == secondEdit.count)
        let drained = try reopened.apply(firstEdit)
        #expect(drained.drained == secondEdit.count)
        #expect(try reopened.status().pendingOps == 0)
        #expect(try reopened.note(id).purged)
        try reopened.close()
        try Self.expectNoMarkers(in: receiverDirectory)
    }
}
