import Foundation
import Testing
import SyncCore
@testable import Transport

@Suite("Trust list")
struct TrustListTests {
    @Test func addListRemoveAndPersist() throws {
        let temporary = TemporaryDirectory()
        let trust = try TrustList(directory: temporary.url)
        #expect(try trust.peers().isEmpty)
        let sam = try DeviceIdentity.loadOrCreate(in: temporary.sub("sam").creating()).id
        let rep = try DeviceIdentity.loadOrCreate(in: temporary.sub("rep").creating()).id
        try trust.add(sam, name: "Sam", spaces: [.team: .readWrite, .evidence: .readWrite])
        try trust.add(rep, name: "Union rep", spaces: [.evidence: .readOnly])
        #expect(try trust.peers().map(\.name) == ["Sam", "Union rep"])
        #expect(try trust.peer(rep)?.spaces == [.evidence: .readOnly])

        let mode = try FileManager.default.attributesOfItem(atPath: trust.url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Another instance (another process, say) reads the same file.
        let reopened = try TrustList(directory: temporary.url)
        #expect(try reopened.peers() == trust.peers())
        #expect(try reopened.resolve("union rep").device == rep)
        #expect(try reopened.resolve(sam.description.lowercased()).name == "Sam")

        // Changing a grant replaces it; a name is unique.
        try trust.add(sam, name: "Sam", spaces: [.team: .readOnly])
        #expect(try reopened.peer(sam)?.spaces == [.team: .readOnly])
        #expect(throws: TransportError.self) { try trust.add(rep, name: "sam", spaces: [:]) }
        #expect(throws: TransportError.self) { try trust.add(rep, name: "  ", spaces: [:]) }

        // Removal is seen by the other instance without reopening.
        try trust.remove(sam)
        #expect(try reopened.peer(sam) == nil)
        #expect(try reopened.peers().map(\.name) == ["Union rep"])
        do {
            try trust.remove(sam)
            Issue.record("removed a peer twice")
        } catch {
            #expect(error.code == .unknownPeer)
        }
        #expect(throws: TransportError.self) { try trust.resolve("nobody") }
    }

    @Test func aDamagedFileIsReported() throws {
        let temporary = TemporaryDirectory()
        try Data("{not json".utf8).write(to: temporary.url.appendingPathComponent(TrustList.fileName))
        do {
            _ = try TrustList(directory: temporary.url)
            Issue.record("read a damaged trust list")
        } catch {
            #expect(error.code == .trustList)
        }
    }

    /// A list of version 1 holds ids of certificates, which no device has any more: refused with
    /// its own code (the client adds what to do), not read as if its ids still meant something.
    @Test func aListOfCertificateIDsIsRefused() throws {
        let temporary = TemporaryDirectory()
        let device = DeviceID(sha256: Array(repeating: 7, count: 32))!
        let old = #"{"peers":[{"added_ms":1767261600000,"device":""# + device.description + #"","name":"Sam","spaces":{"team":"read-write"}}],"version":1}"#
        try Data(old.utf8).write(to: temporary.url.appendingPathComponent(TrustList.fileName))
        do {
            _ = try TrustList(directory: temporary.url)
            Issue.record("read a trust list of certificate ids")
        } catch {
            #expect(error.code == .outdatedTrustList)
            #expect(error.message.contains("older fieldnote"))
        }
    }
}

extension URL {
    func creating() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
