import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// A client remembers what its server held, so its next session sends the server's missing ops
/// with its HELLO (Protocol.md 2.4); a memory that is wrong costs a closing turn, never an op.
@Suite("Remembered vectors over TLS")
struct RememberedVectorTests {
    @Test func aCompletedSyncIsRememberedAndTheNextOneSendsFromIt() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try a.store.addNote(text: "Server's note")
        try b.store.addNote(text: "Client's note", space: .evidence)
        #expect(try b.store.peerVectors(device: a.id.description).isEmpty)
        try a.serving { port in
            try b.sync(port: port)
            let remembered = try b.store.peerVectors(device: a.id.description)
            #expect(remembered[.team] == (try a.store.versionVector(.team)))
            #expect(remembered[.evidence] == (try a.store.versionVector(.evidence)))
            // The server remembers nothing: only a client sends ahead.
            #expect(try a.store.peerVectors(device: b.id.description).isEmpty)
            try b.store.addNote(text: "Client's second note")
            try a.store.addNote(text: "Server's second note", space: .evidence)
            let again = try b.sync(port: port)
            #expect(again.sent.ops > 0 && again.sent.applied == again.sent.ops)
            #expect(again.received.ops > 0)
        }
        #expect(try a.texts() == b.texts())
        #expect(try a.texts(.evidence) == b.texts(.evidence))
    }

    /// A server whose store lost what the client remembers (a power cut after its ACK, a store
    /// replaced): the opening batches are set aside and the closing turn sends everything.
    @Test func aMemoryOfMoreThanTheServerHoldsStillConverges() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        for index in 0..<5 { try b.store.addNote(text: "Client's note \(index)") }
        let claimed = VersionVector([b.store.replica: 3, a.store.replica: 40])
        try b.store.rememberPeerVectors([.team: claimed, .evidence: VersionVector()], device: a.id.description)
        let summary = try a.serving { port in try b.sync(port: port) }
        #expect(try a.texts() == b.texts())
        #expect(try a.texts().count == 5)
        #expect(summary.sent.applied == (try b.ops().count))
        #expect(try b.store.peerVectors(device: a.id.description)[.team] == (try a.store.versionVector(.team)))
    }
}
