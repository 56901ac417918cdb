import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

@Suite("The op log's stored form")
struct OpLogFormatTests {
    /// Every row of the log is one op in SyncCore's standalone payload encoding (Protocol.md 1.6)
    /// or a group of ops in `OpCodec.encodeGroup`'s form; the `kind` column is the first op's tag
    /// and `op_count` its number of ops; read back in key order and merged, the rows give the log.
    @Test func rowsAreStandalonePayloadsOrGroups() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try store.addNote(text: "Caseload 31, supervision cancelled.", tags: ["caseload", "supervision"],
                                   fields: ["caseload": .int(31), "hours_worked": .double(41.5), "supervision": .string("cancelled")])
        try store.editText(note: id, newText: "Caseload 32, supervision cancelled.")
        try store.tag(note: id, remove: ["caseload"])
        try store.delete(note: id)
        let logged = try allOps(store)
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT space, replica, seq, hlc_ms, hlc_counter, payload, kind, op_count FROM ops ORDER BY hlc_ms, hlc_counter, replica, seq")
        }
        // The note's creation (create, text, three fields, two tags) is one row; later edits are
        // rows of their own or groups of their own.
        #expect(rows.count < logged.count)
        #expect(rows.contains { ($0["op_count"] as Int64) == 7 })
        var decoded: [Op] = []
        for row in rows {
            let bytes = [UInt8](row["payload"] as Data)
            let ops = try OpLogRows.ops(from: row)
            #expect(Int64(ops.count) == row["op_count"] as Int64)
            #expect(OpLogRows.kind(of: ops[0].payload) == UInt8(row["kind"] as Int64))
            if ops.count == 1 {
                #expect(bytes.first == OpCodec.payloadVersion)
                #expect(bytes == OpCodec.encodePayload(ops[0].payload))
            } else {
                #expect(bytes.first == OpCodec.groupVersion)
                #expect(bytes == OpCodec.encodeGroup(ops[...]))
            }
            decoded += ops
        }
        #expect(decoded.sorted(by: LogOrderMerge.precedes) == logged)
        #expect(Set(logged.map { OpLogRows.kind(of: $0.payload) }) == [1, 2, 3, 4, 5, 6, 7])
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
