import Foundation
import Sealing
import Storage
import SyncCore

/// The keys a device shares and reads evidence records with (Protocol.md 3.3).
///
/// - A record is written by a key of its own, made at random when it is shared: its ops carry no
///   replica id that lasts beyond it, and only the device that shared it can withdraw it.
/// - Inside the envelope the record is signed by the person's key for the record's month, made
///   from the secret the person's devices share: a report counts people by it, month by month,
///   and two months' keys cannot be linked without the secret.
/// - The envelope is sealed to the reps' keys and to the person's own, and readable by no one
///   else: colleagues' devices relay records they cannot read.
public struct EvidenceKeys: Sendable {
    /// The person's secret, nil on a device that never had one (it has no records of its own);
    /// then the secrets it held before settling on one with the person's other devices, whose
    /// records are the person's too.
    public let personSecrets: [[UInt8]]
    /// The X25519 keys new records are sealed to: the reps this device knows.
    public let reps: [[UInt8]]
    /// This device's own sealing key: a rep's device opens the records sealed to it with it.
    public let device: SealingKey?
    /// Open the person's own records on every one of their devices: the current secret's first.
    public let persons: [SealingKey]

    /// `personSecret` nil: a device with no secret yet, which reads what is sealed to it only.
    public init(personSecret: [UInt8]?, formerSecrets: [[UInt8]] = [], reps: [[UInt8]], device: SealingKey?) throws(SealingError) {
        personSecrets = (personSecret.map { [$0] } ?? []) + formerSecrets
        self.reps = reps
        self.device = device
        var persons: [SealingKey] = []
        for secret in personSecrets { persons.append(try Self.personKey(secret)) }
        self.persons = persons
    }

    static func personKey(_ secret: [UInt8]) throws(SealingError) -> SealingKey {
        try SealingKey(privateKey: Digests.hmacSHA256(key: secret, Array("fieldnote person seal 1".utf8)))
    }

    /// The person's signing key for the records of `month`, from `secret` (by default the current one).
    public func reporterKey(for month: ReportMonth, secret: [UInt8]? = nil) throws(SealingError) -> SigningKey {
        guard let secret = secret ?? personSecrets.first else { throw SealingError(.invalidInput, "this device has no person secret yet") }
        return try SigningKey(seed: Digests.hmacSHA256(key: secret, Array("fieldnote reporter 1\n\(month)".utf8)))
    }
}

/// A record's content inside its envelope: the reporter's public key, its signature, the
/// record's shared JSON, then padding (0x80 and zeros) to a multiple of 256 bytes, so the
/// envelope's length says little about what it holds.
public enum SealedEvidence {
    static let label = Array("fieldnote evidence 1\n".utf8)
    static let paddingBlock = 256

    /// The replica id a record key's ops carry: the first 16 bytes of SHA-256 of its public key.
    public static func replica(of publicKey: [UInt8]) -> ReplicaID {
        ReplicaID(bytes: Digests.sha256(publicKey).prefix(16))!
    }

    /// Seals `record` for the reps and the person, bound to the record key's replica `author`.
    public static func seal(_ record: EvidenceRecord, author: ReplicaID, keys: EvidenceKeys) throws(SealingError) -> [UInt8] {
        try seal(json: [UInt8](record.sharedJSON), month: ReportMonth(week: record.week), author: author, keys: keys)
    }

    /// Seals any JSON as a record of `month`: `seal(_:author:keys:)`, and the tests' way to seal
    /// what no honest device would.
    package static func seal(json: [UInt8], month: ReportMonth, author: ReplicaID, keys: EvidenceKeys) throws(SealingError) -> [UInt8] {
        let reporter = try keys.reporterKey(for: month)
        let signature = try reporter.sign(label + author.bytes + json)
        var content = reporter.publicKey + signature + json + [0x80]
        while content.count % paddingBlock != 0 { content.append(0) }
        guard let person = keys.persons.first else { throw SealingError(.invalidInput, "this device has no person secret yet") }
        return try Envelope.seal(content, for: keys.reps + [person.publicKey], binding: author.bytes)
    }

    /// What opening an envelope gave.
    public struct Opened: Sendable, Hashable {
        /// `reporter` is set: the hex of the person's key for the record's month.
        public var record: EvidenceRecord
        /// Whether it opened with the person's own key: one of this person's records.
        public var isOwn: Bool
    }

    /// What an envelope holds for `keys`.
    public enum Reading: Sendable, Hashable {
        case record(Opened)
        /// Opened, but what it holds is no record: a bad signature, a key of another month,
        /// JSON that is not a record. Only a device that sealed it on purpose could have.
        case malformed
        /// Sealed for other keys, or altered on the way (which no key can tell apart).
        case sealedForOthers
    }

    /// The record sealed in `envelope` by `author`, when one of `keys` opens it and its
    /// reporter's signature holds.
    public static func read(_ envelope: [UInt8], author: ReplicaID, keys: EvidenceKeys) -> Reading {
        var content: [UInt8]?
        var ownSecret: [UInt8]?
        for (index, person) in keys.persons.enumerated() {
            if let opened = Envelope.open(envelope, with: person, binding: author.bytes) {
                content = opened
                ownSecret = keys.personSecrets[index]
                break
            }
        }
        if content == nil, let device = keys.device {
            content = Envelope.open(envelope, with: device, binding: author.bytes)
        }
        guard let content else { return .sealedForOthers }
        // Whoever sealed it chose every byte: the padding mark must come after the signature.
        guard content.count % paddingBlock == 0, let end = content.lastIndex(where: { $0 != 0 }), end >= 96,
              content[end] == 0x80 else { return .malformed }
        let reporter = Array(content[0..<32])
        let signature = Array(content[32..<96])
        let json = Array(content[96..<end])
        guard SigningKey.verify(signature: signature, of: label + author.bytes + json, publicKey: reporter),
              var record = try? JSONDecoder().decode(EvidenceRecord.self, from: Data(json)) else { return .malformed }
        // One's own records must be signed by the key of the record's month, or they would count
        // as another person's. (A rep cannot check this of others: that is the point.)
        if let ownSecret {
            guard let expected = try? keys.reporterKey(for: ReportMonth(week: record.week), secret: ownSecret),
                  expected.publicKey == reporter else { return .malformed }
        }
        record.reporter = reporter.map { String(format: "%02x", $0) }.joined()
        return .record(Opened(record: record, isOwn: ownSecret != nil))
    }
}
