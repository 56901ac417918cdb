import Testing
@testable import SyncCore

@Suite("Replica")
struct ReplicaTests {
    func pair(seed: UInt64 = 1) -> Cluster {
        var generator = SplitMix64(seed: seed)
        return Cluster(count: 2, generator: &generator)
    }

    @Test func typingIsCoalescedIntoOneInsertionOp() throws {
        let cluster = pair()
        let a = cluster.replicas[0]
        let note = try a.create(text: "")
        for (offset, character) in "Caseload 31 today".unicodeScalars.enumerated() {
            try a.insertText(String(character), at: offset, in: note)
        }
        let log = a.log(of: .team)
        #expect(log.count == 2)
        #expect(log.last?.span == 17)
        #expect(a.versionVector(of: .team)[a.id] == 18)
        try cluster.sync(from: 0, to: 1)
        #expect(cluster.replicas[1].text(of: note) == "Caseload 31 today")
        #expect(cluster.replicas[1].canonicalState == a.canonicalState)
    }

    @Test func backspacesAreCoalescedIntoOneDeletion() throws {
        let cluster = pair()
        let a = cluster.replicas[0]
        let note = try a.create(text: "supervision held")
        for position in stride(from: 15, through: 12, by: -1) { try a.deleteText(position..<(position + 1), in: note) }
        #expect(a.text(of: note) == "supervision ")
        let log = a.log(of: .team)
        #expect(log.count == 3)
        guard case .deleteText(_, let ranges) = log.last?.payload else { Issue.record("no deletion"); return }
        #expect(ranges.count == 1 && ranges[0].count == 4)
        try cluster.sync(from: 0, to: 1)
        #expect(cluster.replicas[1].canonicalState == a.canonicalState)
    }

    /// An op held back that arrives again is held once and counted a duplicate, as the store
    /// holds it (one `pending` row per op id); both apply once what they wait for arrives.
    @Test func aHeldBackOpDeliveredTwiceIsHeldOnce() throws {
        let cluster = pair(seed: 5)
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create(text: "Caseload")
        try a.setField("caseload", to: .int(31), on: note)
        let log = a.log(of: .team)
        let later = Array(log.dropFirst())
        var summary = try b.receive(later + later)
        #expect(summary.waiting == later.count && summary.duplicates == later.count && summary.applied == 0)
        #expect(b.pendingOps == later)
        summary = try b.receive([log[0]])
        #expect(summary.applied == log.count && summary.waiting == 0)
        #expect(b.canonicalState == a.canonicalState)
        #expect(b.log(of: .team).count == log.count)
    }

    @Test func concurrentFieldWritesConvergeOnTheLaterStamp() throws {
        let cluster = pair(seed: 3)
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create()
        try cluster.sync(from: 0, to: 1)
        try a.setField("caseload", to: .int(31), on: note)
        cluster.clocks[1].advance(by: 120_000)
        try b.setField("caseload", to: .int(34), on: note)
        try cluster.exchangeAll()
        #expect(a.entities[note]?.field("caseload") == .int(34))
        #expect(a.canonicalState == b.canonicalState)
    }

    @Test func aConcurrentTagAdditionSurvivesARemoval() throws {
        let cluster = pair(seed: 4)
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create()
        try a.addTag("supervision", to: note)
        try cluster.sync(from: 0, to: 1)
        try a.removeTag("supervision", from: note)
        try b.removeTag("supervision", from: note)
        try b.addTag("supervision", to: note)
        try cluster.exchangeAll()
        #expect(a.entities[note]?.tags == ["supervision"])
        #expect(a.canonicalState == b.canonicalState)
    }

    @Test func concurrentTypingAtOnePlaceKeepsBothSentencesWhole() throws {
        let cluster = pair(seed: 5)
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create(text: "Visit. ")
        try cluster.sync(from: 0, to: 1)
        for (offset, character) in "Mum present.".unicodeScalars.enumerated() {
            try a.insertText(String(character), at: 7 + offset, in: note)
        }
        for (offset, character) in "Child seen alone.".unicodeScalars.enumerated() {
            try b.insertText(String(character), at: 7 + offset, in: note)
        }
        try cluster.exchangeAll()
        let merged = try #require(a.text(of: note))
        #expect(merged == b.text(of: note))
        #expect(merged.contains("Mum present.") && merged.contains("Child seen alone."))
    }

    @Test func replacingTextKeepsAConcurrentEditElsewhere() throws {
        let cluster = pair(seed: 6)
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create(text: "Caseload 31. Supervision cancelled. Duty all day.")
        try cluster.sync(from: 0, to: 1)
        try a.replaceText(with: "Caseload 34. Supervision cancelled. Duty all day.", in: note)
        try b.replaceText(with: "Caseload 31. Supervision cancelled again. Duty all day.", in: note)
        try cluster.exchangeAll()
        #expect(a.text(of: note) == "Caseload 34. Supervision cancelled again. Duty all day.")
        #expect(a.canonicalState == b.canonicalState)
    }

    @Test func anOpWhosePredecessorIsMissingWaitsThenApplies() throws {
        let cluster = pair(seed: 7)
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create(text: "one")
        try a.setField("caseload", to: .int(20), on: note)
        try a.addTag("x", to: note)
        let ops = a.ops(in: .team, missingFrom: VersionVector())
        #expect(ops.count == 4)
        let first = try b.receive(Array(ops.reversed().prefix(2)))
        #expect(first.applied == 0 && first.waiting == 2)
        let second = try b.receive(Array(ops.prefix(2)) + [ops[0]])
        #expect(second.applied == 4 && second.duplicates == 1 && second.waiting == 0)
        #expect(a.canonicalState == b.canonicalState)
    }

    @Test func purgeErasesContentAndTheLogEverywhere() throws {
        let cluster = pair(seed: 8)
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        let note = try a.create(text: "Child C-7K2Q disclosed")
        try a.setField("caseload", to: .int(31), on: note)
        try a.addTag("urgent", to: note)
        try cluster.sync(from: 0, to: 1)
        try b.purge(note)
        try a.insertText(" more", at: 0, in: note)
        try cluster.exchangeAll()
        for replica in [a, b] {
            let state = try #require(replica.entities[note])
            #expect(state.isPurged && state.text.isEmpty && state.fields.isEmpty && state.tags.isEmpty)
            for op in replica.log(of: .team) {
                switch op.payload {
                case .erased, .purge, .create: continue
                default: Issue.record("op with content survived the purge: \(op)")
                }
            }
        }
        #expect(a.canonicalState == b.canonicalState)
        #expect(throws: SyncCoreError.self) { try a.insertText("x", at: 0, in: note) }
    }

    @Test func aPeerFarAheadIsAcceptedWithoutDraggingTheClock() throws {
        let cluster = pair(seed: 9)
        let (a, b) = (cluster.replicas[0], cluster.replicas[1])
        cluster.clocks[0].advance(by: 3 * 365 * 86_400_000)
        let note = try a.create(text: "from the future")
        try cluster.sync(from: 0, to: 1)
        #expect(b.entities[note]?.text.text == "from the future")
        #expect(b.clock.last.millis <= cluster.clocks[1].millis + HybridLogicalClock.maximumAdvance)
    }

    @Test func anImpossibleTimestampRefusesTheBatchAndNothingIsApplied() throws {
        let cluster = pair(seed: 9)
        let b = cluster.replicas[1]
        let entity = EntityID(high: 1, low: 2)
        let op = Op(
            id: OpID(space: .team, replica: cluster.replicas[0].id, seq: 1),
            timestamp: Timestamp(millis: HybridLogicalClock.latestPlausibleMillis + 1, counter: 0),
            payload: .create(entity: entity, kind: .note))
        let clockBefore = b.clock
        #expect(throws: SyncCoreError.self) { try b.receive([op]) }
        #expect(b.entities[entity] == nil)
        #expect(b.clock.last == clockBefore.last)
        #expect(b.versionVector(of: .team).isEmpty)
    }
}
