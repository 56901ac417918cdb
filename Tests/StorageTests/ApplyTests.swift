import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

@Suite("Applying remote ops")
struct ApplyTests {
    /// A store with a few notes, edits, tags, a delete and a purge: a realistic op log.
    static func populated(_ directory: TemporaryDirectory) throws -> Store {
        let store = try directory.store()
        let token = try store.addCase()
        let first = try store.addNote(text: "Home visit, nobody in.", caseToken: token, tags: ["visit"], fields: ["caseload": .int(28)])
        let second = try store.addNote(text: "Supervision cancelled.", tags: ["supervision"], fields: ["supervision": .string("cancelled")])
        let third = try store.addNote(text: "Duty day, referrals screened late.", fields: ["week": .string("2026-W47")])
        try store.editText(note: first, newText: "Home visit, mother in, child seen alone.")
        try store.tag(note: first, add: ["seen"], remove: ["visit"])
        try store.setField(note: second, key: "supervision_minutes", value: .int(0))
        try store.link(note: second, to: "finding-12")
        try store.delete(note: third)
        let fourth = try store.addNote(text: "To be erased")
        try store.purge(note: fourth)
        return store
    }

    @Test func replayIntoAFreshStoreGivesTheSameRecords() throws {
        let sourceDirectory = TemporaryDirectory()
        let source = try Self.populated(sourceDirectory)
        let ops = try allOps(source)
        let targetDirectory = TemporaryDirectory()
        let target = try targetDirectory.store()
        let result = try target.apply(ops)
        #expect(result.applied == ops.count && result.parked == 0 && result.duplicates == 0)
        #expect(try allRecords(target) == allRecords(source))
        #expect(try target.versionVectors() == source.versionVectors())
        #expect(try target.cases().map(\.token) == source.cases().map(\.token))
        #expect(try target.search("mother").map(\.id) == source.search("mother").map(\.id))
    }

    /// One batch whose ops alternate between two spaces and two replicas: the session holds one
    /// space's vector aside at a time, and every entry it moved must reach the `versions` table.
    @Test func aBatchAcrossSpacesAndReplicasKeepsEveryVector() throws {
        let (firstDirectory, secondDirectory) = (TemporaryDirectory(), TemporaryDirectory())
        let first = try firstDirectory.store()
        let second = try secondDirectory.store()
        for index in 0..<6 {
            try first.addNote(text: "team note \(index)", tags: ["caseload"])
            try first.addNote(text: "evidence note \(index)", space: .evidence, fields: ["caseload": .int(Int64(20 + index))])
            try second.addNote(text: "colleague's team note \(index)")
            try second.addNote(text: "colleague's evidence \(index)", space: .evidence)
        }
        let streams = try [allOps(first), allOps(first, in: .evidence), allOps(second), allOps(second, in: .evidence)]
        // Round robin over the four streams: each stream stays in order, the batch switches
        // space and replica at almost every op.
        var mixed: [Op] = []
        for index in 0..<streams.map(\.count).max()! {
            for stream in streams where index < stream.count { mixed.append(stream[index]) }
        }
        let targetDirectory = TemporaryDirectory()
        var target = try targetDirectory.store()
        let result = try target.apply(mixed)
        #expect(result.applied == mixed.count && result.parked == 0)
        let expected = [SpaceID.team, .evidence].map { space in
            (try? first.versionVector(space))!.merging((try? second.versionVector(space))!)
        }
        #expect(try [target.versionVector(.team), target.versionVector(.evidence)] == expected)
        // Read back from the table by a fresh open, not from anything cached.
        try target.close()
        target = try targetDirectory.store()
        #expect(try [target.versionVector(.team), target.versionVector(.evidence)] == expected)
        #expect(try target.apply(mixed).duplicates == mixed.count)
    }

    /// Applying a batch the store already holds writes nothing: no row changes, no file bytes.
    @Test func reapplyingChangesNothing() throws {
        let sourceDirectory = TemporaryDirectory()
        let source = try Self.populated(sourceDirectory)
        let ops = try allOps(source)
        let directory = TemporaryDirectory()
        let target = try directory.store()
        try target.apply(ops)
        try target.checkpointTruncate()
        let before = try directory.fileBytes().filter { !$0.key.hasSuffix("-shm") }
        let changesBefore = try target.pool.write { db in db.totalChangesCount }
        let again = try target.apply(ops)
        let halves = try target.apply(Array(ops.reversed()))
        let changesAfter = try target.pool.write { db in db.totalChangesCount }
        #expect(again.applied == 0 && again.duplicates == ops.count)
        #expect(halves.applied == 0 && halves.duplicates == ops.count)
        #expect(changesBefore == changesAfter)
        #expect(try directory.fileBytes().filter { !$0.key.hasSuffix("-shm") } == before)
        // The source's own ops, sent back to it, are known too.
        #expect(try source.apply(ops).applied == 0)
    }

    /// Ops that arrive before their predecessors wait in `pending` and apply once those arrive.
    @Test func outOfOrderOpsParkAndDrain() throws {
        let sourceDirectory = TemporaryDirectory()
        let source = try Self.populated(sourceDirectory)
        let ops = try allOps(source)
        let targetDirectory = TemporaryDirectory()
        let target = try targetDirectory.store()
        let late = Array(ops[(ops.count / 2)...])
        let early = Array(ops[..<(ops.count / 2)])
        let first = try target.apply(late)
        #expect(first.applied == 0 && first.parked == late.count)
        #expect(try target.status().pendingOps == late.count)
        let second = try target.apply(early)
        #expect(second.applied == early.count && second.drained == late.count && second.parked == 0)
        #expect(try target.status().pendingOps == 0)
        #expect(try allRecords(target) == allRecords(source))
        // Parking the same op twice counts it once.
        let thirdDirectory = TemporaryDirectory()
        let third = try thirdDirectory.store()
        #expect(try third.apply(late).parked == late.count)
        #expect(try third.apply(late).parked == 0)
    }

    /// Only an impossible timestamp (after the year 9999) refuses the whole batch; one days
    /// ahead is applied, and advances this store's clock at most a minute past its wall time.
    @Test func onlyAnImpossibleTimestampRefusesTheWholeBatch() throws {
        let sourceDirectory = TemporaryDirectory()
        let source = try Self.populated(sourceDirectory)
        var ops = try allOps(source)
        let last = ops.count - 1
        ops[last].timestamp = Timestamp(millis: HybridLogicalClock.latestPlausibleMillis + 1, counter: 0)
        let targetDirectory = TemporaryDirectory()
        let target = try targetDirectory.store()
        #expect { try target.apply(ops) } throws: { error in
            let error = error as! StoreError
            return error.code == .clockSkew && error.message.contains("9999")
        }
        #expect(try target.versionVectors().isEmpty)
        #expect(try target.status().spaces.isEmpty)

        let now = Store.systemMillis()
        ops[last].timestamp = Timestamp(millis: now + 3 * 86_400_000, counter: 0)
        #expect(try target.apply(ops).applied == ops.count)
        let written = try target.note(try target.addNote(text: "written after"))
        #expect(written.created.millis <= Store.systemMillis() + HybridLogicalClock.maximumAdvance)
    }

    /// Sets of ops made concurrently on three stores, applied to two fresh stores in different
    /// orders and batch sizes, give equal records — and equal to the stores that made them once synced.
    @Test(arguments: [1 as UInt64, 2, 3, 4])
    func differentOrdersConverge(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let directories = (0..<5).map { _ in TemporaryDirectory() }
        let makers = try directories[0..<3].map { try $0.store() }
        var notes: [EntityID] = []
        for round in 0..<6 {
            for store in makers {
                for _ in 0..<4 { try Self.randomEdit(store, notes: &notes, random: &random) }
            }
            // Partial sync between random pairs, so later edits build on some others' ops.
            if round % 2 == 1 {
                let from = makers[Int.random(in: 0..<3, using: &random)]
                let to = makers[Int.random(in: 0..<3, using: &random)]
                try to.apply(allOps(from, above: to.versionVector(.team)))
            }
        }
        var union: [Op] = []
        for store in makers { union += try allOps(store) }
        let one = try directories[3].store()
        let two = try directories[4].store()
        try one.apply(union)
        var shuffled = union.shuffled(using: &random)
        while !shuffled.isEmpty {
            let size = Int.random(in: 1...max(1, shuffled.count / 3), using: &random)
            try two.apply(Array(shuffled.prefix(size)))
            shuffled.removeFirst(min(size, shuffled.count))
        }
        #expect(try two.status().pendingOps == 0)
        let expected = try allRecords(one)
        #expect(try allRecords(two) == expected)
        for store in makers {
            for other in makers { try store.apply(allOps(other)) }
            #expect(try allRecords(store) == expected)
        }
    }

    static func randomEdit(_ store: Store, notes: inout [EntityID], random: inout SplitMix64) throws {
        let words = ["visit", "caseload", "supervision", "duty", "referral", "late", "seen", "home"]
        func sentence() -> String {
            (0..<Int.random(in: 2...6, using: &random)).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
        }
        let known = notes.filter { id in (try? store.note(id)).map { !$0.purged } ?? false }
        guard let id = known.randomElement(using: &random), Int.random(in: 0..<5, using: &random) > 0 else {
            notes.append(try store.addNote(text: sentence(), tags: [words.randomElement(using: &random)!]))
            return
        }
        let record = try store.note(id)
        switch Int.random(in: 0..<10, using: &random) {
        case 0...3:
            var text = record.text
            let cut = Int.random(in: 0...text.count, using: &random)
            text.insert(contentsOf: " " + sentence(), at: text.index(text.startIndex, offsetBy: cut))
            if Bool.random(using: &random), text.count > 6 { text.removeFirst(3) }
            try store.editText(note: id, newText: text)
        case 4, 5:
            try store.tag(note: id, add: [words.randomElement(using: &random)!], remove: record.tags.isEmpty ? [] : [record.tags.randomElement(using: &random)!])
        case 6, 7:
            try store.setField(note: id, key: "caseload", value: .int(Int64.random(in: 0...200, using: &random)))
        case 8:
            if record.deleted { try store.restore(note: id) } else { try store.delete(note: id) }
        default:
            if Int.random(in: 0..<3, using: &random) == 0 { try store.purge(note: id) } else { try store.link(note: id, to: "finding-\(Int.random(in: 1...3, using: &random))") }
        }
    }
}
