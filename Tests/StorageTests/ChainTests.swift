import Foundation
import Testing
import SyncCore
@testable import Storage

/// What the store keeps for authenticated authorship (Protocol.md 2.8): one replica's ops by seq,
/// checkpoints, chain heads, and the digests of the ops a purge erases.
@Suite("Authorship in the store")
struct ChainTests {
    @Test func aNewStoreTakesTheReplicaItIsGivenAndKeepsIt() throws {
        let directory = TemporaryDirectory()
        let replica = ReplicaID(high: 0x0123_4567_89AB_CDEF, low: 42)
        let store = try Store(directory: directory.url, newReplica: replica)
        #expect(store.replica == replica && store.wasCreated)
        try store.close()
        let again = try Store(directory: directory.url, newReplica: ReplicaID(high: 1, low: 1))
        #expect(again.replica == replica && !again.wasCreated)
    }

    @Test func oneReplicasOpsComeBackByTheirSeqsWhateverTheLogHoldsBesideThem() throws {
        let directory = TemporaryDirectory()
        let otherDirectory = TemporaryDirectory("other")
        let store = try directory.store()
        let other = try otherDirectory.store()
        for index in 0..<30 {
            try store.addNote(text: "own \(index)", tags: ["t\(index % 3)"])
            try other.addNote(text: "other \(index)")
            try store.apply(try allOps(other).filter { $0.lastSeq > (try store.versionVector(.team))[other.replica] })
        }
        let own = try allOps(store).filter { $0.id.replica == store.replica }.sorted { $0.id.seq < $1.id.seq }
        let head = own.last!.lastSeq
        #expect(try store.ops(of: store.replica, in: .team, seqs: 1...head) == own)
        // A range that starts or ends inside an op returns that op whole.
        let middle = own[own.count / 2]
        let ranged = try store.ops(of: store.replica, in: .team, seqs: middle.id.seq + 1...middle.lastSeq + 1)
        #expect(ranged.first == middle || middle.span == 1)
        #expect(ranged.allSatisfy { $0.id.replica == store.replica && $0.lastSeq >= middle.id.seq + 1 && $0.id.seq <= middle.lastSeq + 1 })
        #expect(try store.ops(of: store.replica, in: .evidence, seqs: 1...head).isEmpty)
    }

    @Test func checkpointsAreFoundAboveAndBelowAndHeadsOnlyMoveForward() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let replica = ReplicaID(high: 7, low: 7)
        func checkpoint(_ seq: UInt64) -> AuthorCheckpoint {
            AuthorCheckpoint(space: .team, replica: replica, seq: seq, hash: [UInt8](repeating: UInt8(seq), count: 32),
                             publicKey: [UInt8](repeating: 1, count: 32), signature: [UInt8](repeating: 2, count: 64))
        }
        try store.saveCheckpoints([checkpoint(10), checkpoint(20)])
        #expect(try store.checkpoint(in: .team, of: replica, atOrAbove: 11)?.seq == 20)
        #expect(try store.checkpoint(in: .team, of: replica, atOrAbove: 10)?.seq == 10)
        #expect(try store.checkpoint(in: .team, of: replica, atOrBelow: 19)?.seq == 10)
        #expect(try store.checkpoint(in: .team, of: replica, atOrAbove: 21) == nil)
        #expect(try store.checkpoint(in: .evidence, of: replica, atOrBelow: 30) == nil)
        #expect(try store.checkpoints(in: .team, of: replica, seqs: 5...25) == [checkpoint(10), checkpoint(20)])

        var proof = ReceivedProof()
        proof.heads = [ChainHead(space: .team, replica: replica, seq: 15, hash: [UInt8](repeating: 9, count: 32))]
        try store.apply([], proof: proof)
        proof.heads = [ChainHead(space: .team, replica: replica, seq: 12, hash: [UInt8](repeating: 8, count: 32))]
        try store.apply([], proof: proof)
        #expect(try store.chainHead(in: .team, of: replica)?.seq == 15)
    }

    @Test func purgingKeepsTheDigestOfEveryOpItErases() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let note = try store.addNote(text: "Gone soon", tags: ["private"], fields: ["caseload": .int(3)])
        try store.delete(note: note)
        let before = try allOps(store).filter { $0.entity == note }
        try store.purge(note: note)
        let after = try allOps(store).filter { $0.entity == note }
        let erased = after.filter { if case .erased = $0.payload { true } else { false } }
        #expect(!erased.isEmpty)
        let kept = try store.erasedDigests(in: .team, of: store.replica, seqs: 1...UInt64.max >> 1)
        for op in erased {
            let original = try #require(before.first { $0.id == op.id })
            #expect(kept[op.id.seq] == OpCodec.authoredDigest(original))
        }
        #expect(kept.count == erased.count)
    }

    @Test func sha256MatchesTheStandardVectors() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256Digest.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256Digest.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256Digest.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(SHA256Digest.hash([UInt8](repeating: 0x61, count: 1000))) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
