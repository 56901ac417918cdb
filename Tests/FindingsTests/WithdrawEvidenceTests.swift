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
        let union = try TestRep()
        var shared = record("worker", caseload: 31)
        shared.excerpt = Self.excerpt
        let id = try #require(EntityID(hex: try union.member(worker.store).addEvidence(shared)))
        try sync(.evidence, from: worker.store, to: rep.store)
        #expect(try union.reading(rep.store).evidence().records.map(\.excerpt) == [Self.excerpt])
        // What travels is the sealed envelope, never the words.
        let envelope = try #require(try rep.store.entities(of: .evidence, space: .evidence).first?.fields[FieldKey.sealed])
        guard case .string(let sealed) = envelope else { Issue.record("no sealed field"); return }
        #expect(try rep.fileBytes().values.contains { contains($0, String(sealed.prefix(40))) })
        #expect(try rep.fileBytes().values.allSatisfy { !contains($0, Self.excerpt) })

        // Only the author may withdraw it: the rep's device has no key to, and so has no other.
        #expect(throws: FindingsError.self) { try union.reading(rep.store).withdraw(id) }
        try union.member(worker.store).withdraw(id)
        #expect(try worker.store.evidenceState(id)?.withdrawn == true)
        #expect(try worker.store.evidenceSeed(id) == nil, "the record's key goes with it")
        try sync(.evidence, from: worker.store, to: rep.store)
        #expect(try union.reading(rep.store).evidence().records.isEmpty)
        #expect(try rep.store.evidenceState(id)?.withdrawn == true)
        for (name, bytes) in try rep.fileBytes() + worker.fileBytes() {
            #expect(!contains(bytes, String(sealed.prefix(40))), "\(name) still holds the withdrawn record")
        }
    }

    @Test func theNoteARecordCameFromIsKeptHereOnlyAndForgottenWithThePurge() throws {
        let worker = try TemporaryStore(wallClock: { march2026 })
        let note = try worker.store.addNote(text: "Caseload 31", fields: ["caseload": .int(31)])
        let union = try TestRep()
        let id = try #require(EntityID(hex: try union.member(worker.store).addEvidence(record("worker", caseload: 31))))
        try worker.store.noteShared(id, from: note)
        #expect(try worker.store.evidenceShared(from: note) == [id])
        try union.member(worker.store).withdraw(id)
        #expect(try worker.store.evidenceShared(from: note).isEmpty, "a withdrawn record is not offered again")

        let again = try #require(EntityID(hex: try union.member(worker.store).addEvidence(record("worker", caseload: 33))))
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
