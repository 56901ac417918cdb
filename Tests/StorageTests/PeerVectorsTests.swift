import Foundation
import Testing
import SyncCore
@testable import Storage

/// What a client remembers of each server between sessions (schema v10).
@Suite("Peer vectors")
struct PeerVectorsTests {
    @Test func rememberedVectorsReadBackAndReplaceTheOldOnes() throws {
        let temporary = TemporaryDirectory()
        let store = try temporary.store()
        let one = ReplicaID(high: 1, low: 2)
        let two = ReplicaID(high: 3, low: 4)
        try store.rememberPeerVectors([.team: VersionVector([one: 7, two: 1]), .evidence: VersionVector()], device: "device-a")
        try store.rememberPeerVectors([.team: VersionVector([one: 2])], device: "device-b")
        #expect(try store.peerVectors(device: "device-a") == [.team: VersionVector([one: 7, two: 1]), .evidence: VersionVector()])
        try store.rememberPeerVectors([.team: VersionVector([two: 9])], device: "device-a")
        #expect(try store.peerVectors(device: "device-a") == [.team: VersionVector([two: 9])])
        #expect(try store.peerVectors(device: "device-b") == [.team: VersionVector([one: 2])])
        #expect(try store.peerVectors(device: "device-c").isEmpty)
    }

    /// A row that does not read is forgotten (it costs one more turn), not an error that stops
    /// every sync with that device.
    @Test func aDamagedRowIsForgotten() throws {
        let temporary = TemporaryDirectory()
        let store = try temporary.store()
        try store.rememberPeerVectors([.team: VersionVector([ReplicaID(high: 1, low: 1): 3])], device: "device-a")
        try store.pool.write { db in try db.execute(sql: "UPDATE peer_vectors SET vector = x'05ff'") }
        #expect(try store.peerVectors(device: "device-a").isEmpty)
    }
}
