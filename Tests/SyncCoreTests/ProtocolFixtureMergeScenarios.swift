@testable import SyncCore

/// The merge scenarios themselves, each with what Protocol.md says its outcome is.
extension MergeScenario {
    static func all() throws -> [MergeScenario] {
        [try concurrentInsertions(), try deletionConcurrentWithInsertion(), try concurrentFieldWrites(), try tags(), try bin(),
         try purge(), try heldBack(), try evidenceRecord(), try anotherSpace()]
    }

    static func concurrentInsertions() throws -> MergeScenario {
        var s = MergeScenario(name: "concurrent-insertions", sections: ["6.5"], description: "Three replicas type at the same place of \"ac\" (same origin a, same rightOrigin c) and two at the start of \"end\" (no origin, rightOrigin e): concurrent insertions with equal origins go in replica order, the smaller id first, and a replica's characters stay together.")
        let w = s.writers
        let note = try w[0].create(text: "ac")
        let second = try w[0].create(text: "end")
        s.batch(0, "A creates \"ac\" and \"end\"")
        try w.sync(0, to: 1)
        try w.sync(0, to: 2)
        w.at(1_000)
        try w[0].insertText("X", at: 1, in: note)
        try w[0].insertText("a", at: 0, in: second)
        try w[1].insertText("YZ", at: 1, in: note)
        try w[1].insertText("b", at: 0, in: second)
        try w[2].insertText("W", at: 1, in: note)
        for (writer, label) in [(0, "A types X and a"), (1, "B types YZ and b"), (2, "C types W")] { s.batch(writer, label) }
        s.claim("the first note reads \"aXYZWc\"") { $0.text(of: note) == "aXYZWc" }
        s.claim("the second note reads \"abend\"") { $0.text(of: second) == "abend" }
        return s
    }

    static func deletionConcurrentWithInsertion() throws -> MergeScenario {
        var s = MergeScenario(name: "deletion-concurrent-with-insertion", sections: ["6.4", "6.5"], description: "On \"abcd\", A types X between b and c and deletes d, while B deletes \"bc\" and types ! after d: deleted characters stay as tombstones, so both insertions keep their places.")
        let w = s.writers
        let note = try w[0].create(text: "abcd")
        s.batch(0, "A creates \"abcd\"")
        try w.sync(0, to: 1)
        w.at(1_000)
        try w[0].insertText("X", at: 2, in: note)
        try w[0].deleteText(4..<5, in: note)
        try w[1].deleteText(1..<3, in: note)
        try w[1].insertText("!", at: 2, in: note)
        s.batch(0, "A types X after b, deletes d")
        s.batch(1, "B deletes bc, types ! after d")
        s.claim("the note reads \"aX!\"") { $0.text(of: note) == "aX!" }
        return s
    }

    static func concurrentFieldWrites() throws -> MergeScenario {
        var s = MergeScenario(name: "concurrent-field-writes", sections: ["1.10", "6.2", "6.4"], description: "Register writes: two writes at the same timestamp (the greater replica id shows), concurrent writes at different times (the later stamp shows, both entries stay), and a write that saw another with a smaller timestamp, because the writer's clock was an hour ahead (pred replaces it whatever the clocks say).")
        let w = s.writers
        let note = try w[0].create()
        let second = try w[0].create()
        try w[0].setField("caseload", to: .int(20), on: note)
        s.batch(0, "A creates two notes, sets caseload 20")
        try w.sync(0, to: 1)
        try w.sync(0, to: 2)
        w.at(5_000)
        try w[0].setField("priority", to: .string("low"), on: note)
        try w[1].setField("priority", to: .string("high"), on: note)
        w.at(10_000, 0)
        try w[0].setField("caseload", to: .int(31), on: note)
        w.at(130_000, 1)
        try w[1].setField("caseload", to: .int(34), on: note)
        w.at(60_000, 2)
        try w[2].setField("hours_worked", to: .double(7.5), on: note)
        s.batch(0, "A: priority low at +5 s, caseload 31 at +10 s")
        s.batch(1, "B: priority high at +5 s, caseload 34 at +130 s")
        s.batch(2, "C: hours_worked 7.5")
        w.at(3_600_000, 0)
        try w[0].setField("status", to: .string("open"), on: second)
        s.batch(0, "A, its clock an hour ahead: status open")
        try w.sync(0, to: 1)
        w.at(200_000, 1)
        try w[1].setField("status", to: .string("closed"), on: second)
        s.batch(1, "B, having seen it: status closed, at an earlier timestamp")
        s.claim("priority shows B's \"high\", both entries kept") { $0.entities[note]?.fields["priority"].map { $0.value == .string("high") && $0.entries.count == 2 } ?? false }
        s.claim("caseload shows 34, with 31 also kept") { $0.entities[note]?.fields["caseload"].map { $0.value == .int(34) && $0.entries.count == 2 } ?? false }
        s.claim("hours_worked is 7.5") { $0.entities[note]?.field("hours_worked") == .double(7.5) }
        s.claim("status is \"closed\", its only entry") { $0.entities[second]?.fields["status"].map { $0.value == .string("closed") && $0.entries.count == 1 } ?? false }
        return s
    }

    static func tags() throws -> MergeScenario {
        var s = MergeScenario(name: "tags-add-wins", sections: ["6.4"], description: "Observed-remove sets: A and B both remove the tag supervision, B adds it again (a new dot no removal observed, so it stays); B and C both remove overload; C adds urgent; A links a finding.")
        let w = s.writers
        let note = try w[0].create()
        try w[0].addTag("supervision", to: note)
        try w[0].addTag("overload", to: note)
        s.batch(0, "A creates a note tagged supervision and overload")
        try w.sync(0, to: 1)
        try w.sync(0, to: 2)
        w.at(1_000)
        try w[0].removeTag("supervision", from: note)
        try w[0].addTag("finding-12", to: note, set: FieldKey.links)
        try w[1].removeTag("supervision", from: note)
        try w[1].addTag("supervision", to: note)
        try w[1].removeTag("overload", from: note)
        try w[2].removeTag("overload", from: note)
        try w[2].addTag("urgent", to: note)
        for (writer, label) in [(0, "A removes supervision, links finding-12"), (1, "B removes and re-adds supervision, removes overload"), (2, "C removes overload, adds urgent")] {
            s.batch(writer, label)
        }
        s.claim("tags are supervision and urgent") { $0.entities[note]?.tags == ["supervision", "urgent"] }
        s.claim("links are finding-12") { $0.entities[note]?.links == ["finding-12"] }
        return s
    }

    static func bin() throws -> MergeScenario {
        var s = MergeScenario(name: "bin", sections: ["1.10", "6.1", "6.4"], description: "The deleted flag is a register: A bins the note; then A restores it while B, concurrently, restores and bins it again. A's restore and B's second bin are concurrent, and B's is later: the note is in the bin.")
        let w = s.writers
        let note = try w[0].create(text: "draft")
        w.at(1_000)
        try w[0].setDeleted(true, note)
        s.batch(0, "A creates a note and bins it")
        try w.sync(0, to: 1)
        w.at(2_000)
        try w[0].setDeleted(false, note)
        w.at(3_000)
        try w[1].setDeleted(false, note)
        w.at(4_000)
        try w[1].setDeleted(true, note)
        s.batch(0, "A restores it")
        s.batch(1, "B restores it, then bins it")
        s.claim("the note is in the bin, two entries kept") { $0.entities[note].map { $0.isDeleted && $0.deletion?.entries.count == 2 } ?? false }
        return s
    }

    static func purge() throws -> MergeScenario {
        var s = MergeScenario(name: "purge", sections: ["6.3", "6.4"], description: "B purges a note while A, concurrently, types more and sets a field: everything is forgotten, A's later ops change nothing but the updated time, and a purge that arrives before the create waits for it.")
        let w = s.writers
        let note = try w[0].create(text: "Child disclosed")
        try w[0].setField("caseload", to: .int(31), on: note)
        try w[0].addTag("urgent", to: note)
        s.batch(0, "A writes a note")
        try w.sync(0, to: 1)
        w.at(5_000)
        try w[1].purge(note)
        w.at(10_000)
        try w[0].insertText(" more", at: 15, in: note)
        try w[0].setField("caseload", to: .int(32), on: note)
        s.batch(1, "B purges it")
        s.batch(0, "A types and sets caseload, concurrently")
        let latest = s.batches.flatMap(\.ops).map(\.timestamp).max()
        s.claim("the note is purged, with nothing left") { $0.entities[note].map { $0.isPurged && $0.text.canonicalItems.isEmpty && $0.fields.isEmpty && $0.sets.isEmpty && $0.deletion == nil } ?? false }
        s.claim("updated is the latest timestamp of any op on it") { $0.entities[note]?.updated == latest }
        return s
    }

    static func heldBack() throws -> MergeScenario {
        var s = MergeScenario(name: "held-back", sections: ["6.3"], description: "A batch never arrives (A's caseload 5, seq 7): A's next write and B's write naming it are held back for good, not counted in the version vector, while B's deletion, which names only characters that arrived, applies.")
        let w = s.writers
        let note = try w[0].create(text: "Hello")
        s.batch(0, "A creates \"Hello\"")
        w.at(1_000)
        try w[0].setField("caseload", to: .int(5), on: note)
        _ = w.take(0)  // never delivered
        w.at(2_000)
        try w[0].setField("caseload", to: .int(6), on: note)
        s.batch(0, "A sets caseload 6 (its pred names the lost write)")
        try w.sync(0, to: 1)
        w.at(3_000)
        try w[1].deleteText(1..<4, in: note)
        try w[1].setField("caseload", to: .int(7), on: note)
        s.batch(1, "B deletes \"ell\", sets caseload 7 (its pred names A's caseload 6)")
        s.claim("the note reads \"Ho\"") { $0.text(of: note) == "Ho" }
        s.claim("caseload is unset, two ops held back") { $0.entities[note]?.fields.isEmpty == true && $0.pendingCount == 2 }
        return s
    }

    static func evidenceRecord() throws -> MergeScenario {
        var s = MergeScenario(name: "evidence-author-only", sections: ["1.10", "6.4"], description: "An evidence record changes only by its author's ops. B's writes on A's record (made without seeing it, so they can arrive first) are undone when A's create arrives, and skipped after it; the record's updated time is its author's.")
        let w = s.writers
        let record = try w[0].create(.evidence, in: .evidence)
        try w[0].setField("hours", to: .int(12), on: record)
        s.batch(0, "A creates an evidence record, hours 12")
        let at = Timestamp(millis: FixtureBatches.start + 1_000, counter: 0)
        s.batches.append(("B writes hours 40 and a tag on it", [
            Op(id: OpID(space: .evidence, replica: FixtureBatches.b, seq: 1), timestamp: at, payload: .setField(entity: record, key: "hours", value: .int(40))),
            Op(id: OpID(space: .evidence, replica: FixtureBatches.b, seq: 2), timestamp: Timestamp(millis: at.millis, counter: 1),
               payload: .addElement(entity: record, set: FieldKey.tags, element: "forged")),
        ]))
        let authors = s.batches[0].ops.last?.timestamp
        s.claim("hours is 12, no tags, updated by A's last op") { $0.entities[record].map { $0.field("hours") == .int(12) && $0.tags.isEmpty && $0.updated == authors } ?? false }
        return s
    }

    static func anotherSpace() throws -> MergeScenario {
        var s = MergeScenario(name: "another-space", sections: ["6.1", "6.4"], description: "B, a writer of evidence, names A's team note from evidence: a create of its own, a tag and a purge. Whichever arrives first, A's create, bound to the note's id, files the note under team (taking it over if B's ops came first), where B's ops change nothing and B's purge erases nothing.")
        let w = s.writers
        let note = try w[0].create(text: "Seen at home")
        s.batch(0, "A creates \"Seen at home\" in team")
        let at = FixtureBatches.start + 1_000
        func forged(_ seq: UInt64, _ payload: OpPayload) -> Op {
            Op(id: OpID(space: .evidence, replica: FixtureBatches.b, seq: seq), timestamp: Timestamp(millis: at, counter: UInt32(seq)), payload: payload)
        }
        s.batches.append(("B names the note from evidence: a create, a tag, a purge", [
            forged(1, .create(entity: note, kind: .note)),
            forged(2, .addElement(entity: note, set: FieldKey.tags, element: "forged")),
            forged(3, .purge(entity: note)),
        ]))
        s.claim("the note reads \"Seen at home\" in team, with no tags, not purged") { replica in
            replica.text(of: note) == "Seen at home"
                && replica.entities[note].map { $0.space == .team && $0.tags.isEmpty && !$0.isPurged } ?? false
        }
        return s
    }
}
