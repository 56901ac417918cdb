import Foundation
import Sealing
import Storage
import SyncCore
@testable import Findings

/// A fresh store in its own temporary directory, removed when this is released.
final class TemporaryStore {
    let directory: URL
    let store: Store

    init(wallClock: @escaping @Sendable () -> UInt64 = Store.systemMillis) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fieldnote-findings-tests-\(UUID().uuidString)", isDirectory: true)
        store = try Store(location: StoreLocation(directory: directory.appendingPathComponent("store")), wallClock: wallClock)
    }

    deinit {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The raw bytes of every file of the store (database, WAL, shared memory).
    func fileBytes() throws -> [String: [UInt8]] {
        let folder = directory.appendingPathComponent("store")
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
        }
        return files
    }
}

/// Copies every op of `space` that `to` lacks from `from`, as a sync would.
func sync(_ space: SpaceID, from: Store, to: Store) throws {
    var cursor: OpCursor? = nil
    let vector = try to.versionVector(space)
    repeat {
        let page = try from.ops(in: space, above: vector, after: cursor, limit: 100)
        _ = try to.apply(page.ops)
        cursor = page.next
    } while cursor != nil
}

func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
    let needle = Array(needle.utf8)
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    var index = 0
    while index <= haystack.count - needle.count {
        if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return true }
        index += 1
    }
    return false
}

/// 2026-03-04 12:00 UTC (a Wednesday in ISO week 2026-W10), in Unix milliseconds.
let march2026: UInt64 = 1_772_625_600_000

func record(_ reporter: String, week: String = "2026-W10", caseload: Int? = nil, worked: Double? = nil, paid: Double? = nil,
            supervision: SupervisionStatus? = nil, categories: [FindingCategory] = [.caseloadWorkload],
            findings: [String] = ["ofsted-worcestershire-2017-caseloads"]) -> EvidenceRecord {
    EvidenceRecord(week: ISOWeek(week)!, metrics: EvidenceMetrics(caseload: caseload, hoursWorked: worked, hoursPaid: paid, supervision: supervision),
                   categories: categories, findings: findings, reporter: reporter)
}

/// A union rep's sealing key, and the evidence stores of the members who seal to it and of the
/// rep who reads: what `share` and `report` make from a device's trust list and keys.
struct TestRep {
    let key: SealingKey

    init() throws { key = try SealingKey.random() }

    /// A member's evidence store: the store's own person, sealing to this rep.
    func member(_ store: Store) throws -> StoreFindingsAdapter {
        StoreFindingsAdapter(store: store, keys: try EvidenceKeys(personSecret: store.personSecret(), reps: [key.publicKey], device: nil))
    }

    /// The rep's evidence store, opening what is sealed to this key.
    func reading(_ store: Store) throws -> StoreFindingsAdapter {
        StoreFindingsAdapter(store: store, keys: try EvidenceKeys(personSecret: store.personSecret(), reps: [], device: key))
    }
}
