import Foundation
import Testing
import Storage
import SyncCore
@testable import Findings

/// Withdrawing shared evidence: an erasure that reaches every device, by the author only.
@Suite("Withdrawing evidence")
struct WithdrawEvidenceTests {
    static let excerpt = "Supervision cancelled again, fourth time."

    @Test func aWithdrawnRecordIsErasedOnTheRepsDeviceAfterSync() throws {
        let worker = try TemporaryStore(wallClock: { march2026 })
        let rep = try TemporaryStore(wallClock: { march2026 })
        var shared = record("worker", caseload: 31)
        shared.excerpt = Self.excerpt
        let id = try #require(EntityID(hex: try StoreFindingsAdapter(store: worker.store).addEvidence(shared)))
        try sync(.evidence, from: worker.store, to: rep.store)
        #expect(try StoreFindingsAdapter(store: rep.store).evidence().records.count == 1)
        #expect(try rep.fileBytes().values.contains { contains($0, Self.excerpt) })

        // Only the author may withdraw it: the rep's device refuses, and so would every other.
        #expect(throws: StoreError.self) { try rep.store.withdraw(evidence: id) }
        try worker.store.withdraw(evidence: id)
        #expect(try worker.store.evidenceState(id)?.withdrawn == true)
        try sync(.evidence, from: worker.store, to: rep.store)
        #expect(try StoreFindingsAdapter(store: rep.store).evidence().records.isEmpty)
        #expect(try rep.store.evidenceState(id)?.withdrawn == true)
        for (name, bytes) in try rep.fileBytes() + worker.fileBytes() {
            #expect(!contains(bytes, Self.excerpt), "\(name) still holds the withdrawn excerpt")
        }
    }

    @Test func theNoteARecordCameFromIsKeptHereOnlyAndForgottenWithThePurge() throws {
        let worker = try TemporaryStore(wallClock: { march2026 })
        let note = try worker.store.addNote(text: "Caseload 31", fields: ["caseload": .int(31)])
        let id = try #require(EntityID(hex: try StoreFindingsAdapter(store: worker.store).addEvidence(record("worker", caseload: 31))))
        try worker.store.noteShared(id, from: note)
        #expect(try worker.store.evidenceShared(from: note) == [id])
        try worker.store.withdraw(evidence: id)
        #expect(try worker.store.evidenceShared(from: note).isEmpty, "a withdrawn record is not offered again")

        let again = try #require(EntityID(hex: try StoreFindingsAdapter(store: worker.store).addEvidence(record("worker", caseload: 33))))
        try worker.store.noteShared(again, from: note)
        try worker.store.purge(note: note)
        #expect(try worker.store.evidenceShared(from: note).isEmpty, "the purge drops the link back to the note")
        // The link never travels: a store that syncs the evidence holds the record, not its note.
        let rep = try TemporaryStore(wallClock: { march2026 })
        try sync(.evidence, from: worker.store, to: rep.store)
        #expect(try rep.fileBytes().values.allSatisfy { !contains($0, note.hex) })
    }
}

private func + (lhs: [String: [UInt8]], rhs: [String: [UInt8]]) -> [String: [UInt8]] {
    lhs.merging(rhs.map { ("other " + $0.key, $0.value) }) { first, _ in first }
}
