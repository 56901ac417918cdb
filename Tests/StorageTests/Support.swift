import Foundation
import Testing
import SyncCore
@testable import Storage

/// A fresh directory under the system temporary directory, removed when the test is done with it.
final class TemporaryDirectory {
    let url: URL

    init(_ name: String = "store") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fieldnote-tests-\(UUID().uuidString)", isDirectory: true)
            .appendingPathComponent(name, isDirectory: true)
    }

    deinit { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }

    func store(wallClock: @escaping @Sendable () -> UInt64 = Store.systemMillis) throws -> Store {
        try Store(location: StoreLocation(directory: url), wallClock: wallClock)
    }

    /// The raw bytes of every file in the directory, by file name.
    func fileBytes() throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            files[name] = [UInt8](try Data(contentsOf: url.appendingPathComponent(name)))
        }
        return files
    }
}

/// Every op a store holds in `space`, in serving order, read page by page.
func allOps(_ store: Store, in space: SpaceID = .team, above vector: VersionVector = VersionVector(), pageSize: Int = 37) throws -> [Op] {
    var ops: [Op] = []
    var cursor: OpCursor? = nil
    repeat {
        let page = try store.ops(in: space, above: vector, after: cursor, limit: pageSize)
        ops += page.ops
        cursor = page.next
    } while cursor != nil
    return ops
}

/// Every note a store holds, deleted and purged ones included, by id.
func allRecords(_ store: Store) throws -> [EntityID: NoteRecord] {
    var records: [EntityID: NoteRecord] = [:]
    for op in try allOps(store) {
        guard case .create(let id, .note) = op.payload else { continue }
        records[id] = try store.note(id)
    }
    return records
}

/// Whether `needle` occurs anywhere in `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    let first = needle[0]
    var index = 0
    let last = haystack.count - needle.count
    while index <= last {
        if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
        index += 1
    }
    return false
}
