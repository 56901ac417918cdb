import Foundation
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
