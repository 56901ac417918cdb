import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

/// Shown ids: a prefix of the random part of an id, which names the same note for ever on this
/// device, whatever is written or synced later, and which a one-digit typo practically never
/// turns into another note's.
@Suite("Shown ids")
struct ShortIDTests {
    /// Every note written within one second (the clock stands still, so every id has the same
    /// 12 time digits): each id printed right after its note was added, as `add` prints it,
    /// still names that note once all 1,000 are written.
    @Test func idsPrintedAtCreationStillNameTheirNote() throws {
        let directory = TemporaryDirectory()
        let now = Store.systemMillis()
        let store = try directory.store(wallClock: { now })
        var printed: [(id: EntityID, shown: String)] = []
        for index in 0..<1_000 {
            let id = try store.addNote(text: "note \(index)")
            printed.append((id, try store.shownID(of: id)))
        }
        #expect(Set(printed.map { $0.id.hex.prefix(12) }).count == 1)
        for (id, shown) in printed {
            #expect(shown.count >= 8 && id.randomHex.hasPrefix(shown))
            #expect(try store.resolve(prefix: shown) == id)
            #expect(try store.shownID(of: id) == shown)
        }
    }

    /// The figure the issue measured at 45 % with time prefixes: how often a one-digit
    /// substitution in a shown id opens another note of a 20,000-note store.
    @Test func aOneDigitTypoAlmostNeverNamesAnotherNote() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let ids = try store.addNotes((0..<20_000).map { NoteDraft(text: "note \($0)") })
        let sampled = stride(from: 0, to: ids.count, by: 80).map { ids[$0] }
        let shown = try store.shownIDs(of: sampled)
        let digits = Array("0123456789abcdef")
        // Every substitution in the shown ids of 250 notes spread over the store: 30,000 typos
        // (about 0.14 expected to hit, at 20,000 / 16⁸ each).
        var typos = 0, wrongNote = 0, refused = 0
        for id in sampled {
            let original = Array(try #require(shown[id]))
            for position in original.indices {
                for digit in digits where digit != original[position] {
                    var typo = original
                    typo[position] = digit
                    typos += 1
                    do {
                        if try store.resolve(prefix: String(typo)) != id { wrongNote += 1 }
                    } catch {
                        refused += 1
                    }
                }
            }
        }
        let rate = Double(wrongNote) / Double(typos)
        print("one-digit typos of shown ids in a 20,000-note store: \(typos) tried, \(wrongNote) named another note (\(String(format: "%.4f", rate * 100)) %), \(refused) refused")
        #expect(typos == 30_000)
        #expect(rate < 0.001)
        #expect(refused + wrongNote == typos)
    }

    /// A note synced in later whose random part starts like an earlier note's (crafted, and older
    /// by its clock): the earlier note keeps its shown id, the newcomer is shown longer.
    @Test func aLaterArrivalDoesNotTakeAShownID() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let ids = try store.addNotes((0..<50).map { NoteDraft(text: "note \($0)") })
        let earlier = ids[17]
        let shownBefore = try store.shownID(of: earlier)
        #expect(shownBefore == earlier.short)

        // Same first 10 random digits, then different; an hour older by its time part.
        let twin = Self.twin(of: earlier, sharing: 10, millis: earlier.millis - 3_600_000)
        try Self.arrive(twin, in: store)

        #expect(try store.shownID(of: earlier) == shownBefore)
        #expect(try store.resolve(prefix: shownBefore) == earlier)
        let twinShown = try store.shownID(of: twin)
        #expect(twinShown == String(twin.randomHex.prefix(11)))
        #expect(try store.resolve(prefix: twinShown) == twin)
        // Ten of the twin's digits are also the earlier note's: they still name the earlier note.
        #expect(try store.resolve(prefix: String(twin.randomHex.prefix(10))) == earlier)
        #expect(try store.shownIDs(of: [earlier, twin]) == [earlier: shownBefore, twin: twinShown])

        // A third arrival sharing all 11 of the twin's shown digits: both earlier ids hold.
        let third = Self.twin(of: twin, sharing: 11, millis: twin.millis)
        try Self.arrive(third, in: store)
        #expect(try store.shownID(of: earlier) == shownBefore && store.shownID(of: twin) == twinShown)
        #expect(try store.resolve(prefix: twinShown) == twin)
        #expect(try store.shownID(of: third) == String(third.randomHex.prefix(12)))
    }

    @Test func theFullIDIsAcceptedAndTimePrefixesAreNot() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let ids = try store.addNotes((0..<40).map { NoteDraft(text: "note \($0)") })
        for id in ids {
            #expect(try store.resolve(prefix: id.hex) == id)
            #expect(try store.resolve(prefix: id.hex.uppercased()) == id)
            #expect(try store.resolve(prefix: id.short.uppercased()) == id)
            // The digits older versions printed: the time part, which names nothing now.
            #expect((try? store.resolve(prefix: String(id.hex.prefix(8)))) != id)
        }
        #expect { try store.resolve(prefix: "xyz") } throws: { ($0 as? StoreError)?.code == .invalidArgument }
        #expect { try store.resolve(prefix: String(ids[0].hex.prefix(24))) } throws: { ($0 as? StoreError)?.code == .invalidArgument }
        #expect { try store.resolve(prefix: "ｆｆ") } throws: { ($0 as? StoreError)?.code == .invalidArgument }
        // A full id that is not held, and a case's id asked for as a note.
        #expect { try store.resolve(prefix: String(repeating: "0", count: 32)) } throws: { ($0 as? StoreError)?.code == .unknownID }
        let token = try store.addCase()
        let caseID = try #require(try store.findCase(token)?.id)
        #expect { try store.resolve(prefix: caseID.short) } throws: { ($0 as? StoreError)?.code == .unknownID }
        #expect(try store.resolve(prefix: caseID.short, kind: nil) == caseID)
    }

    /// Fewer digits than the shown id of the note known longest among those matching: ambiguous,
    /// naming the candidates by their shown ids.
    @Test func aShortAmbiguousPrefixListsShownIDs() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let ids = try store.addNotes((0..<40).map { NoteDraft(text: "note \($0)") })
        let digit = try #require(Dictionary(grouping: ids) { $0.randomHex.prefix(1) }.max { $0.value.count < $1.value.count })
        #expect(digit.value.count >= 3)
        #expect { try store.resolve(prefix: String(digit.key)) } throws: { error in
            guard let error = error as? StoreError, error.code == .ambiguousID else { return false }
            return digit.value.prefix(5).allSatisfy { error.message.contains($0.short) } && !error.message.contains("\n")
        }
    }

    /// Showing and resolving read a range of `entities_by_tail`, never every entity.
    @Test func lookupsUseTheTailIndex() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        try store.addNotes((0..<200).map { NoteDraft(text: "note \($0)") })
        let plan = try store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + ShownIDs.matchingSQL,
                             arguments: [Data(count: 2), Data(count: 2), Data(count: 10), Data(count: 10), 6])
                .map { $0["detail"] as String }.joined(separator: " | ")
        }
        #expect(plan.contains("USING INDEX entities_by_tail (<expr>>? AND <expr><?)"), "\(plan)")
    }

    /// A store written before the tail index existed (v1 only) gets it when next opened, built
    /// over the notes it already holds: first in its ten-byte form (v4), then keyed by two
    /// bytes (v12), which is also what a store with the ten-byte index gets.
    @Test func aStoreFromBeforeTheTailIndexGetsIt() throws {
        let directory = TemporaryDirectory()
        var ids: [EntityID] = []
        do {
            let store = try directory.store()
            ids = try store.addNotes((0..<30).map { NoteDraft(text: "note \($0)") })
            try store.pool.write { db in
                try db.execute(sql: "DROP INDEX entities_by_tail")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v4 %' OR identifier LIKE 'v12 %'")
            }
        }
        let reopened = try directory.store()
        let index = try reopened.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'entities_by_tail'")
        }
        #expect(index?.contains("substr(id, 7, 2)") == true)
        for id in ids { #expect(try reopened.resolve(prefix: id.short) == id) }
    }

    /// An id whose random part starts with the first `sharing` digits of `id`'s and then differs.
    static func twin(of id: EntityID, sharing: Int, millis: UInt64) -> EntityID {
        var random = Array(id.randomHex)
        random[sharing] = random[sharing] == "0" ? "1" : "0"
        for index in (sharing + 1)..<random.count { random[index] = Array("0123456789abcdef").randomElement()! }
        let time = String(String(millis, radix: 16).suffix(12))
        return EntityID(hex: String(repeating: "0", count: 12 - time.count) + time + String(random))!
    }

    /// Applies a note with this id as if a peer had synced it: its create op and its text.
    static func arrive(_ id: EntityID, in store: Store) throws {
        let op = OpID(space: .team, replica: .random(), seq: 1)
        let timestamp = Timestamp(millis: id.millis, counter: 0)
        let text = Op(id: OpID(space: .team, replica: op.replica, seq: 2), timestamp: Timestamp(millis: id.millis, counter: 1),
                      payload: .insertText(entity: id, origin: nil, rightOrigin: nil, text: "from a peer"))
        let result = try store.apply([Op(id: op, timestamp: timestamp, payload: .create(entity: id, kind: .note)), text])
        #expect(result.applied == 2)
        #expect(try store.note(id).text == "from a peer")
    }
}
