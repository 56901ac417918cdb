import Foundation
import Testing
import SyncCore
@testable import Storage

/// A flush builds the rows of many new entities on another thread (`FlushParts`) while it
/// inserts the ones already built, and probes the store for a batch's entities together
/// (`WriteSession.probe`). Both must write exactly what building and probing one by one did.
@Suite("Building a flush's rows on another thread")
struct FlushPartsTests {
    static func drafts(_ count: Int, from first: Int = 0) -> [NoteDraft] {
        (first..<(first + count)).map { index in
            NoteDraft(text: "Note \(index): caseload \(20 + index % 13), supervision cancelled.",
                      tags: ["run", "n\(index % 7)"],
                      fields: ["caseload": .int(Int64(20 + index % 13)), "hours_worked": .double(37.5), "week": .string("2026-W\(10 + index % 40)")])
        }
    }

    /// The states and log rows of `ops` applied in memory, numbered as a flush numbers them.
    static func numbered(_ ops: [Op]) -> (fresh: [(ref: Int64, state: EntityState)], log: [OpLogRows.Pending]) {
        var order: [EntityID] = []
        var states: [EntityID: EntityState] = [:]
        for op in ops {
            if states[op.entity] == nil { order.append(op.entity) }
            _ = states[op.entity, default: EntityState(id: op.entity)].apply(op)
        }
        let refs = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, Int64($0 + 1)) })
        return (order.map { (refs[$0]!, states[$0]!) },
                ops.map { OpLogRows.Pending(op: $0, entity: refs[$0.entity]!, purged: false) })
    }

    /// The ops of `count` notes added to a new store, numbered.
    static func numbered(notes count: Int) throws -> (fresh: [(ref: Int64, state: EntityState)], log: [OpLogRows.Pending]) {
        let directory = TemporaryDirectory()
        let source = try directory.store()
        try source.addNotes(drafts(count))
        return numbered(try allOps(source))
    }

    @Test func partsBuiltOnAnotherThreadEqualPartsBuiltInline() throws {
        let (fresh, log) = try Self.numbered(notes: 300)
        let parts = FlushParts(fresh: fresh, log: log)
        defer { parts.finish() }
        #expect(parts.freshRuns == 5 && parts.freshRuns >= FlushParts.backgroundRuns)
        for run in 0..<parts.freshRuns {
            let built = parts.fresh(run)
            let inline = FreshRows(fresh[(run * FlushParts.run)..<min((run + 1) * FlushParts.run, fresh.count)])
            #expect(built.entities == inline.entities)
            #expect(built.textRefs == inline.textRefs && built.texts == inline.texts)
            #expect(built.texts.count == inline.entities.count && built.texts.allSatisfy { !$0.isEmpty })
            #expect(built.material == inline.material)
            #expect(built.indexed == inline.indexed && built.indexed.count == inline.entities.count)
        }
        let builtLog = parts.log()
        let inlineLog = OpLogRows.prepare(log)
        #expect(builtLog.ops == inlineLog.ops && builtLog.groups == inlineLog.groups && builtLog.payloads == inlineLog.payloads)
        #expect(builtLog.groups.count == 300)
    }

    /// Packed byte strings read back as appended, empty ones included (an empty blob is a blob).
    @Test func packedBytesReadBackAsAppended() {
        let strings: [[UInt8]] = [[], [1, 2, 3], [], [4], Array(repeating: 9, count: 300)]
        var packed = PackedBytes()
        for string in strings { packed.append(string) }
        #expect(packed.count == strings.count)
        #expect(packed.map { Array($0) } == strings)
    }

    /// Finishing before every part is taken stops the builder and returns: a flush that fails
    /// half way leaves no thread behind. A part taken after that is built where it is taken.
    @Test func finishingEarlyReturns() throws {
        let (fresh, log) = try Self.numbered(notes: 400)
        let parts = FlushParts(fresh: fresh, log: log)
        #expect(parts.fresh(0).entities == FreshRows(fresh[0..<FlushParts.run]).entities)
        parts.finish()
        parts.finish()
        #expect(parts.fresh(3).entities == FreshRows(fresh[(3 * FlushParts.run)..<(4 * FlushParts.run)]).entities)
        #expect(parts.log().payloads == OpLogRows.prepare(log).payloads)
    }

    /// Batches of hundreds of new notes (built on another thread) and a batch mixing edits of
    /// notes the store holds with new ones (probed together) read back as the source wrote them.
    @Test func manyNewNotesInOneBatchReadBackAsSent() throws {
        let (sourceDirectory, targetDirectory) = (TemporaryDirectory(), TemporaryDirectory())
        let source = try sourceDirectory.store()
        let target = try targetDirectory.store()
        let first = try source.addNotes(Self.drafts(300))
        #expect(try source.search("supervision", limit: 1_000).count == 300)
        let firstOps = try allOps(source)
        #expect(try target.apply(firstOps).applied == firstOps.count)

        for id in first.prefix(40) { _ = try source.editText(note: id, newText: "Rewritten: no supervision for six weeks.") }
        _ = try source.tag(note: first[41], add: ["escalated"])
        try source.addNotes(Self.drafts(280, from: 300))
        let secondOps = try allOps(source, above: try target.versionVectors()[.team] ?? VersionVector())
        let result = try target.apply(secondOps)
        #expect(result.applied == secondOps.count && result.parked == 0 && result.duplicates == 0)

        #expect(try allRecords(target) == allRecords(source))
        #expect(try allOps(target) == allOps(source))
        #expect(try target.versionVectors() == source.versionVectors())
        #expect(try target.search("rewritten", limit: 1_000).count == 40)
        #expect(try target.search("supervision", limit: 1_000).count == 580)
        #expect(try target.notes(tag: "escalated", limit: nil).map(\.id) == [first[41]])
    }
}
