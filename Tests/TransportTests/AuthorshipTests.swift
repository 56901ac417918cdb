import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// Authenticated authorship (Protocol.md 2.8): only a replica's own key can speak for it, however
/// many devices its ops pass through, and an author caught signing two histories is reported.
@Suite("Authorship")
struct AuthorshipTests {
    /// Ops that read as the victim's, made in a scratch store that claims the victim's replica id:
    /// what a trusted peer that wants to impersonate a third device can produce.
    private func forgedOps(as victim: Device, _ text: String, in temporary: TemporaryDirectory) throws -> [Op] {
        let forge = try Device("forge-\(UUID().uuidString.prefix(8))", in: temporary, replica: victim.store.replica)
        try forge.store.addNote(text: text)
        return try forge.ops()
    }

    private func trustEachOther(_ pairs: [(Device, Device)]) throws {
        for (one, other) in pairs {
            try one.trusts(other)
            try other.trusts(one)
        }
    }

    /// vera, and a copy of her store and key about to write a second history (the same replica);
    /// alex trusts vera, bo trusts the copy, and alex and bo trust each other.
    private func forkedAuthor(in temporary: TemporaryDirectory) throws -> (Device, Device, Device, Device) {
        var vera = try Device("vera", in: temporary)
        try vera.store.addNote(text: "before the fork")
        try vera.store.close()
        try FileManager.default.copyItem(at: temporary.sub("vera"), to: temporary.sub("vera-copy"))
        vera = try Device("vera", in: temporary)
        let copy = try Device("vera-copy", in: temporary)
        #expect(copy.store.replica == vera.store.replica)
        let alex = try Device("alex", in: temporary)
        let bo = try Device("bo", in: temporary)
        try trustEachOther([(vera, alex), (copy, bo), (alex, bo)])
        return (vera, copy, alex, bo)
    }

    @Test func forgedOpsUnderAThirdDevicesReplicaAreRefusedAndItsRealOpsStillArrive() throws {
        let temporary = TemporaryDirectory()
        let victim = try Device("victim", in: temporary)
        let mallory = try Device("mallory", in: temporary)
        let bo = try Device("bo", in: temporary)
        try trustEachOther([(bo, mallory), (bo, victim), (victim, mallory)])

        let forged = try forgedOps(as: victim, "forged: the victim never wrote this", in: temporary)
        #expect(forged.allSatisfy { $0.id.replica == victim.store.replica })
        try bo.serving { port in
            // Signed with mallory's own key: the key does not hash to the victim's replica id.
            let hasher = ChainHasher()
            var chain = ChainHasher.zero
            for op in forged { hasher.chain(&chain, op) }
            var own = try mallory.identity.checkpoint(space: .team, seq: forged.last!.lastSeq, hash: chain)
            own.replica = victim.store.replica
            let proof = ChainProof(replica: victim.store.replica, base: ChainHasher.zero, tail: [], checkpoint: own)
            let wrongKey = try HandClient(mallory, port: port).send(forged, proofs: [proof])
            #expect(wrongKey == .forged)
            // Without any proof.
            let unproved = try HandClient(mallory, port: port).send(forged, proofs: [])
            #expect(unproved == .forged)
        }
        #expect(try bo.ops().isEmpty)

        // Mallory holds the victim's real ops and its real checkpoint, and swaps their content.
        try victim.store.addNote(text: "the victim's real note")
        try victim.serving { port in try mallory.sync(port: port) }
        let real = try mallory.ops()
        let genuine = try #require(try mallory.store.checkpoint(in: .team, of: victim.store.replica, atOrAbove: 1))
        let swapped = try forgedOps(as: victim, "forged over the real ids", in: temporary)
        #expect(sortedIDs(swapped) == sortedIDs(real))
        try bo.serving { port in
            let proof = ChainProof(replica: victim.store.replica, base: ChainHasher.zero, tail: [], checkpoint: genuine)
            let swappedAnswer = try HandClient(mallory, port: port).send(swapped, proofs: [proof])
            #expect(swappedAnswer == .forged)
            // The same ids, honestly relayed, pass.
            let realAnswer = try HandClient(mallory, port: port).send(real, proofs: [proof])
            #expect(realAnswer == nil)
        }
        #expect(try bo.texts() == ["the victim's real note"])

        // And the victim's later ops reach bo directly too, with nothing dropped as a duplicate.
        try victim.store.addNote(text: "written after the attack")
        try bo.serving { port in try victim.sync(port: port) }
        #expect(try bo.texts() == ["the victim's real note", "written after the attack"])
        #expect(try bo.store.versionVector(.team) == victim.store.versionVector(.team))
    }

    @Test func aHelloClaimingAnotherDevicesReplicaIsRefused() throws {
        let temporary = TemporaryDirectory()
        let victim = try Device("victim", in: temporary)
        let mallory = try Device("mallory", in: temporary)
        let bo = try Device("bo", in: temporary)
        try trustEachOther([(bo, mallory)])
        try bo.serving { port in
            // Claimed in HELLO, the victim's replica would make `history` name mallory as the
            // author of the victim's notes.
            let claimed = try HandClient(mallory, port: port, claiming: victim.store.replica)
            #expect(claimed.helloRefusal == .forged)
            let honest = try HandClient(mallory, port: port)
            #expect(honest.helloRefusal == nil)
        }
        #expect(try bo.store.peerReplicas()[victim.store.replica] == nil)
    }

    @Test func opsRelayedThroughTwoDevicesInSmallBatchesVerify() throws {
        let temporary = TemporaryDirectory()
        let alex = try Device("alex", in: temporary)
        let relay = try Device("relay", in: temporary)
        let bo = try Device("bo", in: temporary)
        let cy = try Device("cy", in: temporary)
        try trustEachOther([(alex, relay), (relay, bo), (bo, cy)])
        for index in 0..<12 { try alex.store.addNote(text: "note \(index) " + String(repeating: "x", count: index * 50)) }
        var small = SyncLimits()
        small.batchOps = 5
        try alex.serving { port in try relay.sync(port: port) }
        // Batches of a few ops: each proves its ops with the digests up to the next checkpoint.
        try relay.serving(limits: small) { port in try bo.sync(port: port) }
        try bo.serving(limits: small) { port in try cy.sync(port: port) }
        #expect(try cy.texts() == alex.texts())
        #expect(try cy.texts().count == 12)

        // Later ops: a relay that holds the start of the chain proves where the receiver stands.
        try alex.store.addNote(text: "later")
        try relay.store.addNote(text: "the relay's own")
        try alex.serving { port in try relay.sync(port: port) }
        try relay.serving(limits: small) { port in try bo.sync(port: port) }
        try bo.serving { port in try cy.sync(port: port) }
        #expect(try cy.texts() == relay.texts())
        #expect(try cy.texts().count == 14)
        #expect(try cy.store.faultyReplicas().isEmpty)
    }

    @Test func erasedOpsStillVerifyWhereverTheyAreRelayed() throws {
        let temporary = TemporaryDirectory()
        let alex = try Device("alex", in: temporary)
        let relay = try Device("relay", in: temporary)
        let bo = try Device("bo", in: temporary)
        try trustEachOther([(alex, relay), (relay, bo)])
        // Purged before its author ever signed it, and purged after a relay took it.
        let early = try alex.store.addNote(text: "purged before any sync")
        let late = try alex.store.addNote(text: "purged after the relay has it")
        try alex.store.addNote(text: "kept")
        try alex.store.delete(note: early)
        try alex.store.purge(note: early)
        try alex.serving { port in try relay.sync(port: port) }
        try alex.store.delete(note: late)
        try alex.store.purge(note: late)
        try alex.serving { port in try relay.sync(port: port) }
        #expect(try relay.ops().contains { if case .erased = $0.payload { true } else { false } })
        try relay.serving { port in try bo.sync(port: port) }
        #expect(try bo.texts() == ["kept"])
        #expect(try bo.store.versionVector(.team) == alex.store.versionVector(.team))
    }

    @Test func equivocationIsDetectedRefusedAndReported() throws {
        let temporary = TemporaryDirectory()
        let (vera, copy, alex, bo) = try forkedAuthor(in: temporary)

        try vera.store.addNote(text: "the first history")
        try copy.store.addNote(text: "the second history")
        try copy.store.addNote(text: "and more of it")
        try alex.serving { port in try vera.sync(port: port) }
        try bo.serving { port in try copy.sync(port: port) }
        // bo relays the second history to alex, whose store holds vera's checkpoint of the first.
        let replica = vera.store.replica
        for _ in 0..<2 {
            let reports = Reports()
            try alex.serving(reports: reports) { port in try bo.sync(port: port) }
            guard case .success(let summary) = try #require(reports.waitFor(1).first).result else {
                Issue.record("the session failed")
                return
            }
            // Reported in the receiver's summary of the session, and kept for `status`; the
            // second history is refused, the session itself goes on.
            #expect(summary.faulty.map(\.replica) == [replica])
            #expect(try alex.store.faultyReplicas().map(\.replica) == [replica])
            #expect(try alex.texts() == ["before the fork", "the first history"])
        }
    }

    /// Two histories of one replica, equally long: nothing of the replica has to travel, so
    /// only the chain values in HELLO show the two devices that they differ; each then sends the
    /// op that ends its history, and both find the author faulty in one session.
    @Test func equallyLongHistoriesAreComparedByTheirChainValues() throws {
        let temporary = TemporaryDirectory()
        let (vera, copy, alex, bo) = try forkedAuthor(in: temporary)

        try vera.store.addNote(text: "history one")
        try copy.store.addNote(text: "history two")
        try alex.serving { port in try vera.sync(port: port) }
        try bo.serving { port in try copy.sync(port: port) }
        let replica = vera.store.replica
        #expect(try alex.store.versionVector(.team)[replica] == bo.store.versionVector(.team)[replica])

        let reports = Reports()
        let clientSummary = try alex.serving(reports: reports) { port in try bo.sync(port: port) }
        guard case .success(let serverSummary) = try #require(reports.waitFor(1).first).result else {
            Issue.record("the session failed")
            return
        }
        #expect(serverSummary.faulty.map(\.replica) == [replica])
        #expect(clientSummary.faulty.map(\.replica) == [replica])
        #expect(try alex.store.faultyReplicas().map(\.replica) == [replica])
        #expect(try bo.store.faultyReplicas().map(\.replica) == [replica])
        #expect(try alex.texts() == ["before the fork", "history one"])
        #expect(try bo.texts() == ["before the fork", "history two"])
    }

    @Test func aStoreWhoseReplicaIsNotItsKeysCannotServeItsNotes() throws {
        let temporary = TemporaryDirectory()
        let alex = try Device("alex", in: temporary, replica: ReplicaID.random())
        let bo = try Device("bo", in: temporary)
        try alex.trusts(bo)
        try bo.trusts(alex)
        try alex.store.addNote(text: "unsigned")
        try bo.serving { port in
            #expect(throws: TransportError.self) { try alex.sync(port: port) }
        }
        #expect(try bo.ops().isEmpty)
    }

    @Test func checkpointSignaturesBindEveryField() throws {
        let temporary = TemporaryDirectory()
        let alex = try Device("alex", in: temporary)
        let hash = [UInt8](repeating: 7, count: 32)
        let signed = try alex.identity.checkpoint(space: .team, seq: 9, hash: hash)
        #expect(signed.replica == alex.store.replica)
        #expect(CheckpointMessage.verify(signed))
        var moved = signed
        moved.seq = 10
        #expect(!CheckpointMessage.verify(moved))
        var elsewhere = signed
        elsewhere.space = .evidence
        #expect(!CheckpointMessage.verify(elsewhere))
        var altered = signed
        altered.hash[0] ^= 1
        #expect(!CheckpointMessage.verify(altered))
        // OpenSSL's SHA-256 through the reused context matches the one-shot digest.
        let bytes = Array("abc".utf8)
        var output = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBytes { input in output.withUnsafeMutableBufferPointer { ChainHasher().sha256(input, into: $0.baseAddress!) } }
        #expect(output == SHA256.hash(bytes))
        #expect(output.prefix(4) == [0xBA, 0x78, 0x16, 0xBF])
    }
}

/// A trusted peer's session written by hand, to send batches the real client never sends: its
/// HELLO (claiming `replica`) and an empty opening turn, the server's answer taken, then one
/// batch in its closing turn.
private struct HandClient {
    let client: ScriptedClient

    /// The code of the ERROR that answered HELLO, nil when the server answered with its HELLO.
    private(set) var helloRefusal: TransportError.Code? = nil

    init(_ device: Device, port: UInt16, claiming replica: ReplicaID? = nil) throws {
        client = try ScriptedClient(device, port: port)
        let hello = Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: replica ?? device.store.replica,
                          maxFrameBytes: 1 << 20, spaces: [HelloSpace(space: .team, accepts: true, vector: VersionVector())])
        try client.send(.hello, hello.encode())
        try client.send(.done, Done(batches: 0, ops: 0).encode())
        do { _ = try client.takeAnswer() } catch let error as TransportError { helloRefusal = error.code }
    }

    /// Sends one batch of `ops` with `proofs`; returns the code of the ERROR that answers it, or
    /// nil when it was acknowledged.
    func send(_ ops: [Op], proofs: [ChainProof]) throws -> TransportError.Code? {
        try client.send(.batch, BatchHeader.encode(number: 1, space: .team, proofs: proofs, payload: OpCodec.encode(OpBatch(ops: ops))))
        let (type, body) = try client.read()
        if type == MessageType.error.rawValue { return ErrorMessage.decode(body).code }
        #expect(type == MessageType.ack.rawValue)
        try client.send(.done, Done(batches: 1, ops: UInt64(ops.count)).encode())
        return nil
    }
}
