import Foundation
import GRDB
import Testing
import SyncCore
@testable import Storage

@Suite("Local edits and queries")
struct LocalEditTests {
    @Test func addShowListAndEdit() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let token = try store.addCase(alias: "the Smiths")
        let id = try store.addNote(
            text: "Caseload 31 today, supervision cancelled again.", caseToken: token.lowercased(),
            tags: ["caseload", "supervision"], fields: ["caseload": .int(31), "supervision": .string("cancelled"), "hours_worked": .int(45)])
        var record = try store.note(id)
        #expect(record.text == "Caseload 31 today, supervision cancelled again.")
        #expect(record.caseToken == token)
        #expect(record.tags == ["caseload", "supervision"])
        #expect(record.fields == ["caseload": .int(31), "supervision": .string("cancelled"), "hours_worked": .double(45)])
        #expect(!record.deleted && !record.purged)

        let ops = try store.editText(note: id, newText: "Caseload 32 today, supervision cancelled again.")
        #expect(ops == 2) // one deletion, one insertion: the diff is minimal
        try store.tag(note: id, add: ["overtime"], remove: ["caseload"])
        try store.setField(note: id, key: "caseload", value: .int(32))
        try store.link(note: id, to: "ofsted-2023-supervision")
        record = try store.note(id)
        #expect(record.text == "Caseload 32 today, supervision cancelled again.")
        #expect(record.tags == ["overtime", "supervision"])
        #expect(record.fields["caseload"] == .int(32))
        #expect(record.links == ["ofsted-2023-supervision"])

        let other = try store.addNote(text: "Second note", tags: ["overtime"])
        #expect(try store.notes().map(\.id) == [other, id])
        #expect(try store.notes(caseToken: token).map(\.id) == [id])
        #expect(try store.notes(tag: "overtime").map(\.id) == [other, id])
        #expect(try store.notes(tag: "supervision").map(\.id) == [id])
        #expect(try store.notes(limit: 1).map(\.id) == [other])
        #expect(try store.notes(since: Date().addingTimeInterval(3600)).isEmpty)

        let cases = try store.cases()
        #expect(cases.count == 1)
        #expect(cases.first?.token == token && cases.first?.alias == "the Smiths" && cases.first?.noteCount == 1)
        let found = try store.findCase("the Smiths")
        #expect(found?.token == token)

        let history = try store.history(id)
        #expect(history.first?.summary == "created note")
        #expect(history.allSatisfy { $0.isLocal })
        #expect(history.contains { $0.summary == "set caseload = 32" })
        #expect(history.contains { $0.summary == "removed tag caseload" })

        try store.delete(note: id)
        #expect(try store.note(id).deleted)
        #expect(try store.notes().map(\.id) == [other])
        try store.restore(note: id)
        #expect(try store.notes().count == 2)
    }

    /// Shown ids and every way of typing them: see ShortIDTests.
    @Test func resolvesPrefixes() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let ids = try store.addNotes((0..<40).map { NoteDraft(text: "note \($0)") })
        let shown = try store.shownIDs(of: ids)
        for id in ids {
            #expect(try store.resolve(prefix: String(id.randomHex.prefix(12)).uppercased()) == id)
            #expect(try store.resolve(prefix: try #require(shown[id])) == id)
        }
        #expect { try store.resolve(prefix: "ffffffffffffffffffff") } throws: { ($0 as? StoreError)?.code == .unknownID }
        #expect { try store.resolve(prefix: "xyz") } throws: { ($0 as? StoreError)?.code == .invalidArgument }
    }

    /// Search ranks exactly as FTS5's own bm25() would, token counts and all.
    @Test func searchRanksAsFTS5Bm25() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        var drafts: [NoteDraft] = []
        for index in 0..<60 {
            let filler = String(repeating: "visit notes ", count: index % 7)
            let text = index % 3 == 0 ? "Supervision cancelled again \(filler)" : "Caseload high \(filler) supervision held"
            drafts.append(NoteDraft(text: text, tags: index % 4 == 0 ? ["supervision"] : [],
                                    fields: ["supervision": .string(index % 2 == 0 ? "cancelled" : "held")]))
        }
        try store.addNotes(drafts)
        for query in ["supervision cancelled", "supervision", "visit notes", "held"] {
            let hits = try store.search(query, limit: 100)
            let match = try #require(SearchIndex.matchExpression(query))
            let expected = try store.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT e.id, bm25(fts) FROM fts JOIN entities e ON e.ref = fts.rowid WHERE fts MATCH ? ORDER BY bm25(fts)
                    """, arguments: [match]).map { (EntityID(bytes: $0[0] as Data)!, $0[1] as Double) }
            }
            #expect(hits.count == min(100, expected.count) && !hits.isEmpty, "\(query)")
            let bm25 = Dictionary(uniqueKeysWithValues: expected)
            for hit in hits {
                #expect(abs(hit.rank - (bm25[hit.id] ?? .nan)) < 1e-9, "\(query): \(hit.rank) vs \(String(describing: bm25[hit.id]))")
            }
            #expect(hits.map(\.rank) == hits.map(\.rank).sorted())
        }
    }

    /// A case alias names one case on this device: reusing it is refused, and the store is unchanged.
    @Test func caseAliasesAreUnique() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let first = try store.addCase(alias: "the Smiths")
        #expect { try store.addCase(alias: "the Smiths") } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .invalidArgument && error.message.contains(first)
        }
        #expect(try store.cases().count == 1)
        let second = try store.addCase(alias: "the Joneses")
        #expect { try store.setCaseAlias(token: second, alias: " the Smiths ") } throws: { ($0 as? StoreError)?.code == .invalidArgument }
        try store.setCaseAlias(token: first, alias: "the Smiths") // its own alias again: fine
        #expect(try store.findCase("the Smiths")?.token == first)
        #expect(try store.findCase("the Joneses")?.token == second)
        #expect(try store.findCase(second.lowercased())?.token == second)
        #expect { try store.addCase(alias: "C-2222-3333") } throws: { ($0 as? StoreError)?.code == .invalidArgument }
    }

    @Test func fieldCatalogParsesAndRefuses() throws {
        #expect(try FieldCatalog.parse("caseload=31") == ("caseload", .int(31)))
        #expect(try FieldCatalog.parse("hours_worked = 37.5") == ("hours_worked", .double(37.5)))
        #expect(try FieldCatalog.parse("supervision=Not-Scheduled") == ("supervision", .string("not_scheduled")))
        #expect(try FieldCatalog.parse("week=2026-w7") == ("week", .string("2026-W07")))
        #expect { try FieldCatalog.parse("caseload=lots") } throws: { error in
            let error = error as! StoreError
            return error.code == .invalidFieldValue && error.message.contains("integer 0–200")
        }
        #expect { try FieldCatalog.parse("caseload=201") } throws: { ($0 as? StoreError)?.code == .invalidFieldValue }
        #expect { try FieldCatalog.parse("supervision=maybe") } throws: { ($0 as! StoreError).message.contains("held | cancelled | not_scheduled") }
        #expect { try FieldCatalog.parse("week=2026-W60") } throws: { ($0 as? StoreError)?.code == .invalidFieldValue }
        #expect { try FieldCatalog.parse("mood=fine") } throws: { error in
            let error = error as! StoreError
            return error.code == .unknownField && error.message.contains("caseload") && error.message.contains("week")
        }
        #expect { try FieldCatalog.parse("caseload") } throws: { ($0 as? StoreError)?.code == .invalidFieldValue }
        #expect(FieldCatalog.all.count >= 10)
    }

    /// The fields the UK standards measure: a last supervision date that is a real day, yes/no
    /// answers, lunch breaks and intention to leave as their words, families and TOIL in range.
    @Test func standardsFieldsParseAndRefuse() throws {
        #expect(try FieldCatalog.parse("supervision_date=2024-02-29") == ("supervision_date", .string("2024-02-29")))
        for bad in ["2026-02-29", "2026-02-30", "2026-13-01", "2026-2-3", "2026-02-03T10:00", "1999-12-31", "2100-01-01", "+202-01-01", "last week"] {
            #expect(throws: StoreError.self, "\(bad)") { try FieldCatalog.parse("supervision_date=\(bad)") }
        }
        #expect { try FieldCatalog.parse("supervision_date=soon") } throws: { ($0 as! StoreError).message.contains("date, e.g. 2026-03-04") }
        #expect(try FieldCatalog.parse("supervision_uninterrupted=Yes") == ("supervision_uninterrupted", .string("yes")))
        #expect(try FieldCatalog.parse("lunch_break=not-taken") == ("lunch_break", .string("not_taken")))
        #expect(try FieldCatalog.parse("intending_to_leave=unsure") == ("intending_to_leave", .string("unsure")))
        #expect(try FieldCatalog.parse("hours_toil=3.5") == ("hours_toil", .double(3.5)))
        #expect(try FieldCatalog.validate(key: "supervision_date", value: .string("2026-03-04")) == .string("2026-03-04"))
        #expect(throws: StoreError.self) { try FieldCatalog.validate(key: "supervision_date", value: .int(20_260_304)) }
        for bad in ["newly_qualified=maybe", "lunch_break=2", "intending_to_leave=perhaps", "caseload_families=201", "hours_toil=-1"] {
            #expect(throws: StoreError.self, "\(bad)") { try FieldCatalog.parse(bad) }
        }
        // No field asks about health or sickness: special-category data is not collected.
        for word in ["sick", "illness", "health", "absence", "wellbeing", "stress"] {
            #expect(!FieldCatalog.all.contains { $0.key.contains(word) || $0.meaning.lowercased().contains(word) }, "\(word)")
        }
    }

    /// A refused edit leaves the database files exactly as they were.
    @Test func badValuesLeaveTheStoreUnchanged() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try store.addNote(text: "before", fields: ["caseload": .int(3)])
        try store.checkpointTruncate()
        let before = try directory.fileBytes().filter { !$0.key.hasSuffix("-shm") }
        #expect(throws: StoreError.self) { try store.addNote(text: "x", fields: ["caseload": .string("lots")]) }
        #expect(throws: StoreError.self) { try store.addNote(text: "x", fields: ["mood": .string("fine")]) }
        #expect(throws: StoreError.self) { try store.addNote(text: "x", caseToken: "C-2222-2222") }
        #expect(throws: StoreError.self) { try store.addNote(text: "x", tags: ["two words"]) }
        #expect(throws: StoreError.self) { try store.setField(note: id, key: "caseload", value: .int(-1)) }
        #expect(throws: StoreError.self) { try store.setField(note: id, key: "case", value: .string("C-2222-2222")) }
        #expect(throws: StoreError.self) { try store.setCase(note: id, token: "C-2222-2222") }
        // A batch with one bad draft writes none of them.
        #expect(throws: StoreError.self) {
            try store.addNotes([NoteDraft(text: "fine"), NoteDraft(text: "bad", fields: ["week": .string("last week")])])
        }
        let after = try directory.fileBytes().filter { !$0.key.hasSuffix("-shm") }
        #expect(before == after)
        #expect(try store.notes().count == 1)
    }

    @Test func searchStaysInStepWithEditsDeletesAndPurges() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let first = try store.addNote(text: "Supervision cancelled for the third week", tags: ["supervision"])
        let second = try store.addNote(text: "Caseload far too high", fields: ["incident": .string("duty overflow")])
        #expect(try store.search("supervision").map(\.id) == [first])
        #expect(try store.search("overflow").map(\.id) == [second]) // field values are indexed
        let snippet = try store.search("cancel*").first?.snippet
        #expect(snippet?.contains("[cancelled]") == true)
        #expect(try store.search("\"unbalanced AND (").isEmpty) // operators are taken literally

        try store.editText(note: first, newText: "Supervision held at last")
        #expect(try store.search("cancelled").isEmpty)
        #expect(try store.search("held").map(\.id) == [first])

        try store.tag(note: second, add: ["duty"])
        #expect(try store.search("duty").map(\.id) == [second])

        try store.delete(note: first)
        #expect(try store.search("held").isEmpty)
        try store.restore(note: first)
        #expect(try store.search("held").map(\.id) == [first])

        try store.purge(note: second)
        #expect(try store.search("caseload").isEmpty)
        #expect(try store.search("duty").isEmpty)
        let ftsRows = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM fts") }
        #expect(ftsRows == 1)
    }

    @Test func purgedNotesRefuseEdits() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try store.addNote(text: "to erase", tags: ["x"], fields: ["caseload": .int(1)])
        try store.purge(note: id)
        let record = try store.note(id)
        #expect(record.purged && record.text.isEmpty && record.tags.isEmpty && record.fields.isEmpty)
        #expect { try store.editText(note: id, newText: "again") } throws: { ($0 as? StoreError)?.code == .purged }
        #expect(try store.history(id).map(\.summary) == ["created note", "(erased)", "(erased)", "(erased)", "purged (content erased)"])
    }
}
