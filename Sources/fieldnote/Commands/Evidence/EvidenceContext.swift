import Findings
import Foundation
import Storage
import SyncCore
import Transport

/// What a command that shares, lists, withdraws or reports evidence works with.
struct EvidenceContext {
    let store: Store
    /// Seals new records to `reps` and opens those sealed to this device or its person.
    let adapter: StoreFindingsAdapter
    /// The trusted devices marked `--rep`, whether or not their keys are known yet.
    let reps: [Peer]
}

extension EvidenceContext {
    /// The evidence keys of `store`'s device: the person's secret (made now when `sharing`; a
    /// device with none has no records of its own to open) and those it held before, this device's sealing key,
    /// and the keys of the reps it knows. Call it once the command's input is checked: it may
    /// make the device's identity.
    static func open(_ store: Store, sharing: Bool) throws -> EvidenceContext {
        let directory = store.location.directory
        // Reading makes nothing: a device with no identity yet has had nothing sealed to it.
        let hasIdentity = FileManager.default.fileExists(atPath: directory.appendingPathComponent(DeviceIdentity.keyFileName).path)
        let (identity, trust): (DeviceIdentity?, TrustList) = sharing || hasIdentity
            ? try store.device() : (nil, try TrustList(directory: directory))
        let reps = try trust.peers().filter(\.isRep)
        let secret = sharing ? try store.personSecret() : try store.existingPersonSecret()
        guard let keys = try? EvidenceKeys(personSecret: secret, formerSecrets: try store.formerPersonSecrets(),
                                           reps: reps.compactMap(\.sealingKey), device: identity?.sealingKey) else {
            throw CommandFailure("cannot make the keys evidence is sealed with: OpenSSL refused an X25519 key")
        }
        return EvidenceContext(store: store, adapter: StoreFindingsAdapter(store: store, keys: keys), reps: reps)
    }
}

extension StoreOptions {
    /// Opens the store and runs `body` with its evidence keys for reading (`EvidenceContext.init`).
    func withEvidence<T>(_ body: (EvidenceContext) throws -> T) throws -> T {
        try withStore { store in try body(try EvidenceContext.open(store, sharing: false)) }
    }
}

extension EvidenceContext {
    /// The reps a new record is sealed to, or a refusal that says how to get one.
    func sealingReps() throws -> [Peer] {
        let known = reps.filter { $0.sealingKey != nil }
        guard known.isEmpty else { return known }
        if let waiting = reps.first {
            throw CommandFailure("nothing was shared: this device does not know the key of \(waiting.name), your rep, yet, so it cannot seal the record to them",
                                 hint: "sync once with \(waiting.name), or with a colleague who marked \(waiting.name) as rep and synced with them; then share again",
                                 status: .refused)
        }
        throw CommandFailure("nothing was shared: no union rep is marked on this device, and records are sealed so that only reps can read them",
                             hint: "mark your rep's device: fieldnote peers add DEVICE-ID --name NAME --spaces evidence --rep", status: .refused)
    }

    /// Withdraws records this device shared, mapping the findings component's refusals: sealed
    /// ones with their own keys, those an earlier fieldnote wrote unsealed as this device.
    func withdraw(_ records: [EntityID]) throws {
        for record in records {
            if try store.evidenceSeed(record) == nil, try store.evidenceState(record)?.author == store.replica {
                try store.withdrawOwnUnsealed(evidence: record)
                continue
            }
            try FindingsFailure.map { () throws(FindingsError) in try adapter.withdraw(record) }
        }
    }
}
