import Foundation
import Sealing
import Storage
import SyncCore
import Testing
@testable import Findings

/// Sealed evidence against a hostile sealer, a hostile relay and a person's own devices.
@Suite("Sealed evidence")
struct SealedEvidenceTests {
    /// Writes `content`, sealed for `recipients` as a record of a fresh key, into `store`.
    @discardableResult
    static func writeSealed(_ content: [UInt8], for recipients: [[UInt8]], into store: Store) throws -> EntityID {
        let seed = try Digests.random(32)
        let key = try SigningKey(seed: seed)
        let author = SealedEvidence.replica(of: key.publicKey)
        let sealed = try Envelope.seal(content, for: recipients, binding: author.bytes)
        return try store.addSealedEvidence(Data(sealed).base64EncodedString(),
                                           as: PseudonymousAuthor(replica: author, publicKey: key.publicKey, wallMillis: march2026) { try key.sign($0) },
                                           keeping: seed)
    }

    @Test("content a hostile sealer shapes — the padding mark inside the signature, no padding — is refused, not a crash")
    func hostileContentIsRefused() throws {
        let rep = try TemporaryStore(wallClock: { march2026 }), union = try TestRep()
        let peer = try TemporaryStore(wallClock: { march2026 })
        let shapes: [[UInt8]] = [
            [0x80] + Array(repeating: 0, count: 255),
            Array(repeating: 1, count: 50) + [0x80] + Array(repeating: 0, count: 205),
            Array(repeating: 0, count: 256),
            Array(repeating: 7, count: 100) + [0x80],
            [],
        ]
        for content in shapes { try Self.writeSealed(content, for: [union.key.publicKey], into: peer.store) }
        try sync(.evidence, from: peer.store, to: rep.store)
        let reading = try union.reading(rep.store).evidence()
        #expect(reading.records.isEmpty && reading.refused == shapes.count)
    }

    @Test("an envelope copied into another record opens for nobody, so a withdrawal reaches every copy")
    func aCopiedEnvelopeOpensForNobody() throws {
        let worker = try TemporaryStore(wallClock: { march2026 }), relay = try TemporaryStore(wallClock: { march2026 })
        let rep = try TemporaryStore(wallClock: { march2026 }), union = try TestRep()
        let original = try #require(EntityID(hex: try union.member(worker.store).addEvidence(record("w", caseload: 30))))
        try sync(.evidence, from: worker.store, to: relay.store)
        let envelope = try #require(try relay.store.entities(of: .evidence, space: .evidence).first?.fields[FieldKey.sealed])
        guard case .string(let sealed) = envelope else { Issue.record("no envelope"); return }
        let seed = try Digests.random(32), key = try SigningKey(seed: seed)
        _ = try relay.store.addSealedEvidence(sealed, as: PseudonymousAuthor(replica: SealedEvidence.replica(of: key.publicKey),
                                                                             publicKey: key.publicKey, wallMillis: march2026) { try key.sign($0) },
                                              keeping: seed)
        try sync(.evidence, from: relay.store, to: rep.store)
        let before = try union.reading(rep.store).evidence()
        #expect(before.records.count == 1 && before.unreadable == 1, "the copy is bound to another record's id")
        try union.member(worker.store).withdraw(original)
        try sync(.evidence, from: worker.store, to: rep.store)
        #expect(try union.reading(rep.store).evidence().records.isEmpty)
    }

    @Test("a device with no person secret reads what is sealed to it, and claims nothing as its own")
    func noSecretNoOwnRecords() throws {
        let rep = try TemporaryStore(wallClock: { march2026 }), union = try TestRep()
        let worker = try TemporaryStore(wallClock: { march2026 })
        try union.member(worker.store).addEvidence(record("w", caseload: 30))
        try sync(.evidence, from: worker.store, to: rep.store)
        let keys = try EvidenceKeys(personSecret: nil, reps: [], device: union.key)
        let adapter = StoreFindingsAdapter(store: rep.store, keys: keys)
        #expect(try adapter.evidence().records.count == 1)
        #expect(try adapter.evidenceEntries(sharedHere: true).entries.isEmpty)
        #expect(throws: FindingsError.self) { try adapter.addEvidence(record("rep", caseload: 1)) }
    }

    @Test("one person's devices settle on one secret, keep the one given up, and count on from each other")
    func aPersonsDevicesSettleOnOneSecret() throws {
        let laptop = try TemporaryStore(wallClock: { march2026 }), phone = try TemporaryStore(wallClock: { march2026 })
        let union = try TestRep()
        let adapter = { (store: Store) throws -> StoreFindingsAdapter in
            StoreFindingsAdapter(store: store, keys: try EvidenceKeys(personSecret: store.personSecret(), formerSecrets: store.formerPersonSecrets(),
                                                                      reps: [union.key.publicKey], device: nil))
        }
        let (a, b) = (try laptop.store.personSecret(), try phone.store.personSecret())
        let smaller = a.lexicographicallyPrecedes(b) ? a : b
        // The device whose secret is given up shares a February record first.
        let giver = smaller == a ? phone.store : laptop.store
        try adapter(giver).addEvidence(record("g", week: "2026-W09", caseload: 28))
        for store in [laptop.store, phone.store] { try store.adoptPersonSecret(a); try store.adoptPersonSecret(b) }
        #expect(try laptop.store.personSecret() == smaller && phone.store.personSecret() == smaller)
        #expect(throws: StoreError.self) { try laptop.store.adoptPersonSecret(Array(repeating: 0, count: 32)) }
        // Sealed under the secret it gave up, the February record is still its person's there.
        #expect(try adapter(giver).evidenceEntries(sharedHere: true).entries.map(\.record.week) == [ISOWeek("2026-W09")!])
        // The phone counts on from the laptop's record of March, once it has it.
        try adapter(laptop.store).addEvidence(record("l", week: "2026-W10", caseload: 30))
        try sync(.evidence, from: laptop.store, to: phone.store)
        try adapter(phone.store).addEvidence(record("p", week: "2026-W11", caseload: 32))
        let march = try adapter(phone.store).evidenceEntries(sharedHere: true).entries.filter { $0.record.week >= ISOWeek("2026-W10")! }
        #expect(march.compactMap(\.record.sequence).sorted() == [1, 2])
        #expect(Set(march.compactMap(\.record.reporter)).count == 1, "one person, one key for March")
    }

    @Test("an Ed25519 key of small order has no sealing key: nothing is sealed to it")
    func smallOrderKeysAreRefused() {
        // y = 1 (the neutral point) and y = p − 1 (order 2), little-endian.
        var one = [UInt8](repeating: 0, count: 32)
        one[0] = 1
        var minusOne = [UInt8](repeating: 0xFF, count: 32)
        minusOne[0] = 0xEC
        minusOne[31] = 0x7F
        #expect(SealingKey.publicKey(ofEd25519: one) == nil)
        #expect(SealingKey.publicKey(ofEd25519: minusOne) == nil)
    }

    @Test("a record an earlier fieldnote wrote unsealed, as the device, can still be withdrawn by it")
    func unsealedRecordsOfAnEarlierVersionAreWithdrawn() throws {
        let worker = try TemporaryStore(wallClock: { march2026 })
        let id = try worker.store.addNotes([NoteDraft(text: "", space: .evidence, fields: ["week": .string("2026-W10"), "caseload": .int(30)],
                                                      kind: .evidence)])[0]
        #expect(try worker.store.ownUnsealedEvidence() == [id])
        try worker.store.withdrawOwnUnsealed(evidence: id)
        #expect(try worker.store.ownUnsealedEvidence().isEmpty && worker.store.evidenceState(id)?.withdrawn == true)
    }
}
