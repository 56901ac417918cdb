import Foundation
import Testing
import SyncCore
@testable import Storage

/// The note size limit as a person meets it: `add` and `edit` refuse in two lines with exit 4 and
/// leave the store as it was; a store holding a note past the limit still syncs everything else.
@Suite("note size limit, end to end")
struct NoteSizeCommandTests {
    static let tooLong = String(repeating: "x", count: OpCodec.maximumNoteScalars + 1)

    @Test("add refuses a note past the limit: exit 4, two lines, store unchanged")
    func addRefuses() throws {
        let sandbox = try Sandbox()
        try sandbox.add("Caseload 31 today")
        let before = try sandbox.snapshot()
        let result = try sandbox.run("add", "-", input: Self.tooLong)
        #expect(result.status == 4)
        #expect(result.stderrLines == [
            "error: the text is \(OpCodec.maximumNoteScalars + 1) characters long; a note holds at most \(OpCodec.maximumNoteScalars)",
            "hint: nothing was saved; split the text into several notes",
        ])
        #expect(try sandbox.snapshot() == before)
    }

    @Test("edit refuses text past the limit: exit 4, store unchanged")
    func editRefuses() throws {
        let sandbox = try Sandbox()
        let id = try sandbox.add("Caseload 31 today")
        let before = try sandbox.snapshot()
        let result = try sandbox.run("edit", id, "--text", "-", input: Self.tooLong)
        #expect(result.status == 4)
        #expect(result.stderrLines.count == 2)
        #expect(try sandbox.snapshot() == before)
        #expect(try sandbox.note(id)["text"] as? String == "Caseload 31 today")
    }

    @Test("a store holding a note past the limit still syncs a note written after it")
    func oversizedNoteDoesNotBlockSync() throws {
        let (a, b) = try trustedPair()
        do {
            let store = try Store(location: StoreLocation(directory: a.store))
            try store.write { session in
                var factory = try session.makeFactory()
                var (state, create) = EntityState.create(.note, in: .team, using: &factory)
                try session.log(create)
                if let op = try state.insertText(Self.tooLong, at: 0, using: &factory) { try session.log(op) }
                session.put(state)
                session.absorb(factory)
            }
        }
        let later = try a.add("Supervision cancelled again")
        let server = try ServerProcess(b)
        defer { server.terminate() }
        try a.syncOK(server)
        #expect(try b.noteIDs().contains(later))
        #expect(try b.note(later)["text"] as? String == "Supervision cancelled again")
        // Again, both ways: nothing is left that fails a session.
        try a.syncOK(server)
    }
}
