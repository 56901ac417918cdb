import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

@Suite("The op log's stored form")
struct OpLogFormatTests {
    /// Every payload in the log is SyncCore's standalone payload encoding (Protocol.md 1.6), and
    /// the `kind` column is its tag, so another implementation can read a store's log.
    @Test func payloadsAreOpCodecStandalonePayloads() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try store.addNote(text: "Caseload 31, supervision cancelled.", tags: ["caseload", "supervision"],
                                   fields: ["caseload": .int(31), "hours_worked": .double(41.5), "supervision": .string("cancelled")])
        try store.editText(note: id, newText: "Caseload 32, supervision cancelled.")
        try store.tag(note: id, remove: ["caseload"])
        try store.delete(note: id)
        let logged = try allOps(store)
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, kind, payload FROM ops ORDER BY hlc_ms, hlc_counter, replica, seq")
        }
        #expect(rows.count == logged.count)
        for (row, op) in zip(rows, logged) {
            let bytes = [UInt8](row["payload"] as Data)
            #expect(bytes == OpCodec.encodePayload(op.payload))
            #expect(try OpCodec.decodePayload(bytes) == op.payload)
            #expect(bytes.count >= 2 && bytes[0] == OpCodec.payloadVersion)
            #expect(Int64(bytes[1]) == row["kind"] as Int64)
        }
        #expect(Set(rows.map { $0["kind"] as Int64 }) == [1, 2, 3, 4, 5, 6, 7])
    }

    /// A parked op is kept in the same form.
    @Test func parkedPayloadsAreOpCodecStandalonePayloads() throws {
        let sourceDirectory = TemporaryDirectory()
        let source = try sourceDirectory.store()
        try source.addNote(text: "first")
        try source.addNote(text: "second", tags: ["later"])
        let ops = try allOps(source)
        let targetDirectory = TemporaryDirectory()
        let target = try targetDirectory.store()
        let result = try target.apply(Array(ops.suffix(1)))
        #expect(result.parked == 1)
        let stored = try target.read { db in try Data.fetchOne(db, sql: "SELECT payload FROM pending") }
        #expect(stored.map { try? OpCodec.decodePayload([UInt8]($0)) } == ops.last?.payload)
    }
}
