import Foundation
import Testing
import SyncCore
@testable import Storage
@testable import Transport

/// A device granted a space read-only writes nothing there on the granting device, even when a
/// colleague who grants it read-write passes its ops on; the ops still travel whole to devices
/// that count them, and a changed grant rebuilds what the device shows.
@Suite("Read-only across relays")
struct ReadOnlyRelayTests {
    @Test func aReadOnlyDevicesOpsRelayedByAColleagueChangeNothingYetTravelOn() throws {
        let temporary = TemporaryDirectory()
        let alex = try Device("alex", in: temporary), bo = try Device("bo", in: temporary)
        let cy = try Device("cy", in: temporary), dee = try Device("dee", in: temporary)
        try alex.trusts(bo, [.team])
        try alex.trusts(cy, [.team], readOnly: [.team])
        try alex.trusts(dee, [.team])
        try bo.trusts(cy, [.team])
        try cy.trusts(bo, [.team])
        try bo.trusts(alex, [.team])
        try dee.trusts(alex, [.team])

        let note = try bo.store.addNote(text: "From B")
        try cy.store.addNote(text: "From C")
        try bo.serving { port in
            try cy.sync(port: port)
            _ = try cy.store.editText(note: note, newText: "From B, edited by C")
            try cy.sync(port: port)
        }
        _ = try bo.store.editText(note: note, newText: "From B, edited by C, then B")
        let everything = ["From B, edited by C, then B", "From C"]
        #expect(try bo.texts() == everything)

        try alex.serving { port in try bo.sync(port: port) }
        #expect(try alex.texts() == ["From B, then B"], "C's note, edit and text are muted; B's edit after them lands")
        #expect(try alex.store.versionVector(.team) == bo.store.versionVector(.team), "C's ops are held and counted")

        // A device that counts C's ops gets them whole from alex, who does not.
        try alex.serving { port in try dee.sync(port: port) }
        #expect(try dee.texts() == everything)

        // Granting C read-write rebuilds alex's notes with its ops; read-only again takes them out.
        let before = try alex.trust.peer(cy.id)
        let writable = try alex.trust.add(cy.id, name: "cy", spaces: [.team: .readWrite])
        #expect(try alex.trust.applyGrantChange(of: cy.id, from: before, to: writable, in: alex.store) == 2)
        #expect(try alex.texts() == everything)
        let readOnly = try alex.trust.add(cy.id, name: "cy", spaces: [.team: .readOnly])
        try alex.trust.applyGrantChange(of: cy.id, from: writable, to: readOnly, in: alex.store)
        #expect(try alex.texts() == ["From B, then B"])
        #expect(try alex.store.search("edited").isEmpty, "the search index follows")
    }
}
