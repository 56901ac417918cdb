import Foundation
import Storage
import SyncCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL at random moments of `fieldnote add`, `edit`, `purge`, and of both sides of a sync:
/// 100 trials. A write the command acknowledged (exit 0) survives; one killed before that is
/// wholly there or wholly absent; the database passes `PRAGMA integrity_check`; and the next sync
/// completes with no op lost or duplicated.
///
/// A local command is killed after a random delay up to three times what an uninterrupted `add`
/// took here (other suites run meanwhile and slow the commands down), so trials cover start-up,
/// the write itself, and after the acknowledgement; a sync once its first batch has crossed.
@Suite("Faults on the device", .serialized)
struct DeviceKillTests {
    static let trialsPerCommand = 20

    /// Runs `fieldnote ARGUMENTS` and SIGKILLs it after `delay` seconds (unless it ended first).
    /// Returns the exit status when it finished by itself, nil when the kill ended it.
    static func runKilled(_ arguments: [String], after delay: Double) throws -> (status: Int32?, stdout: String) {
        let running = try RunningProcess(arguments)
        let deadline = Date().addingTimeInterval(delay)
        while running.process.isRunning && Date() < deadline { usleep(500) }
        running.signal(SIGKILL)
        running.waitForExit()
        let finished = running.process.terminationReason == .exit
        return (finished ? running.process.terminationStatus : nil, running.stdout)
    }

    /// Seconds one uninterrupted run of `arguments` takes (the bound for kill delays).
    static func duration(_ arguments: [String]) throws -> Double {
        let start = Date()
        let running = try RunningProcess(arguments)
        running.waitForExit(seconds: 60)
        return Date().timeIntervalSince(start)
    }

    static func expectIntact(_ store: Store, _ context: String) throws {
        let status = try store.status()
        #expect(status.isIntact, "\(context): \(status.integrity)")
    }

    /// A long note body, so that writing and diffing it is a good part of the command's time.
    static func body(_ label: String) -> String {
        label + ". " + String(repeating: "Supervision cancelled again; caseload 31 and rising. ", count: 40)
    }

    @Test func killedAddEditAndPurgeKeepEveryAcknowledgedWrite() throws {
        var random = SplitMix64(seed: 4242)
        let sandbox = try Sandbox()
        let targets: [EntityID]
        do {
            let store = try Store(directory: sandbox.store)
            targets = try store.addNotes((0..<(2 * Self.trialsPerCommand)).map { NoteDraft(text: Self.body("target \($0)")) })
            try store.close()
        }
        let path = sandbox.store.path
        let addTime = try Self.duration(["add", "--store", path, "timing note", "--tag", "timing"])
        var outcomes: [String: Int] = [:]
        var acknowledged: [(kind: String, id: EntityID, text: String?)] = []

        for trial in 0..<(3 * Self.trialsPerCommand) {
            let kind = ["add", "edit", "purge"][trial % 3]
            let index = trial / 3
            let delay = Double(random.next() % 1000) / 1000 * addTime * 3
            let arguments: [String]
            let text = Self.body("\(kind) trial \(trial)")
            var target: EntityID? = nil
            switch kind {
            case "add": arguments = ["add", "--store", path, text, "--tag", "killed", "--field", "caseload=\(trial)", "--json"]
            case "edit":
                target = targets[index]
                arguments = ["edit", "--store", path, target!.description, "--text", text]
            default:
                target = targets[Self.trialsPerCommand + index]
                arguments = ["purge", "--store", path, target!.description, "--yes"]
            }
            let (status, stdout) = try Self.runKilled(arguments, after: delay)
            outcomes["\(kind) \(status == 0 ? "acknowledged" : status == nil ? "killed" : "failed")", default: 0] += 1
            #expect(status == nil || status == 0, "trial \(trial): \(kind) exited \(status ?? -1)")

            let store = try Store(directory: sandbox.store)
            defer { try? store.close() }
            try Self.expectIntact(store, "trial \(trial) (\(kind) killed after \(delay) s)")
            switch kind {
            case "add":
                // Wholly there (text, tag and field) or wholly absent.
                let matches = try store.notes(tag: "killed", limit: nil).filter { $0.text.hasPrefix("add trial \(trial).") }
                #expect(matches.count <= 1, "trial \(trial): \(matches.count) copies")
                if let note = matches.first {
                    #expect(note.text == text && note.fields["caseload"] == .int(Int64(trial)), "trial \(trial): a partial note")
                }
                if status == 0 {
                    let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
                    let id = (object?["id"] as? String).flatMap { EntityID(hex: $0) }
                    #expect(id != nil && id == matches.first?.id, "trial \(trial): the acknowledged note is missing")
                    if let id { acknowledged.append((kind, id, text)) }
                }
            case "edit":
                let note = try store.note(target!)
                #expect(note.text == text || note.text == Self.body("target \(index)"), "trial \(trial): a half edit")
                if status == 0 { acknowledged.append((kind, target!, text)) }
            default:
                let note = try store.note(target!)
                #expect(note.purged || note.text == Self.body("target \(Self.trialsPerCommand + index)"), "trial \(trial): a half purge")
                if status == 0 { acknowledged.append((kind, target!, nil)) }
            }
        }

        // Some writes were acknowledged before their kill, or the check below would hold vacuously.
        #expect(!acknowledged.isEmpty, "every command was killed before it acknowledged: \(outcomes)")
        // Every acknowledged write is still there at the end, and the store keeps working.
        let store = try Store(directory: sandbox.store)
        defer { try? store.close() }
        try Self.expectIntact(store, "after every trial")
        for write in acknowledged {
            let note = try store.note(write.id)
            if let text = write.text { #expect(note.text == text && !note.purged, "\(write.kind) \(write.id) lost") } else { #expect(note.purged, "purge of \(write.id) lost") }
        }
        _ = try store.addNote(text: "after the kills")
        print("device kills (add/edit/purge, \(3 * Self.trialsPerCommand) trials, add takes \(addTime) s): \(outcomes.sorted { $0.key < $1.key }); \(acknowledged.count) acknowledged writes all kept")
    }

    /// Per space: the version vector and the number of ops held. Two stores hold the same ops
    /// when these are equal (an op id is the table's key, so none can be held twice), and a store
    /// has lost nothing it held before when its vector is still at least the earlier one.
    static func holdings(_ sandbox: Sandbox) throws -> [SpaceID: (vector: VersionVector, ops: Int)] {
        let store = try Store(directory: sandbox.store)
        defer { try? store.close() }
        let status = try store.status()
        #expect(status.isIntact, "\(sandbox.store.lastPathComponent): \(status.integrity)")
        #expect(status.pendingOps == 0, "ops parked waiting for a gap to fill")
        var result: [SpaceID: (VersionVector, Int)] = [:]
        for space in status.spaces { result[space.space] = (space.vector, space.ops) }
        return result
    }

    static func covers(_ vector: VersionVector, _ earlier: VersionVector) -> Bool {
        earlier.entries.allSatisfy { replica, seq in (vector.entries[replica] ?? 0) >= seq }
    }

    /// `client`: the syncing client is killed; `server`: the serving process is, and restarted.
    /// Each trial adds 1 000 notes to one side (alternating, so both pull and push are cut), starts
    /// a sync, waits for its first batch (a progress line), then kills after a random delay.
    @Test(arguments: ["client", "server"])
    func killedSyncLosesAndDuplicatesNothing(_ victim: String) throws {
        var random = SplitMix64(seed: victim == "client" ? 11 : 12)
        let (client, server) = try trustedPair()
        var serving = try ServerProcess(server)
        defer { serving.terminate() }
        func fill(_ sandbox: Sandbox, _ trial: Int) throws {
            let store = try Store(directory: sandbox.store)
            defer { try? store.close() }
            try store.addNotes((0..<1000).map {
                NoteDraft(text: "trial \(trial) note \($0): referrals screened by unqualified staff, supervision cancelled again.",
                          space: $0 % 4 == 0 ? .evidence : .team)
            })
        }
        // A first uninterrupted large sync, for the kill-delay bound.
        try fill(server, -1)
        let start = Date()
        try client.syncOK(serving)
        let syncTime = Date().timeIntervalSince(start)

        var outcomes: [String: Int] = [:]
        for trial in 0..<Self.trialsPerCommand {
            let big = trial % 2 == 0 ? client : server
            try fill(big, trial)
            let before = try [client, server].map(Self.holdings)

            let syncing = try RunningProcess(["sync", serving.address, "--store", client.store.path, "--json", "--progress"])
            defer { syncing.terminate() }
            let word = big === client ? "sending" : "receiving"
            _ = syncing.waitForLine(onStderr: true, seconds: 60) { $0.hasPrefix(word) }
            usleep(UInt32(Double(random.next() % 1000) / 1000 * syncTime * 0.5 * 1e6))
            let victimProcess = victim == "client" ? syncing : serving.running
            let wasRunning = victimProcess.process.isRunning
            victimProcess.signal(SIGKILL)
            victimProcess.waitForExit()
            let status = syncing.waitForExit(seconds: 60)
            outcomes[wasRunning ? "killed mid-sync" : "finished before the kill (\(status ?? -1))", default: 0] += 1
            if victim == "server" { serving = try ServerProcess(server) }

            // Both stores intact; the next sync completes, after which both hold the same ops,
            // and every op either held before the trial.
            _ = try [client, server].map(Self.holdings)
            do { try client.syncOK(serving) } catch {
                Issue.record("trial \(trial): the sync after the kill failed: \(error)")
                return
            }
            let after = try [client, server].map(Self.holdings)
            for space in [SpaceID.team, .evidence] {
                let (c, s) = (after[0][space], after[1][space])
                #expect(c?.vector == s?.vector && c?.ops == s?.ops, "trial \(trial): \(space) differs: \(String(describing: c)) vs \(String(describing: s))")
                for earlier in before {
                    if let old = earlier[space] {
                        #expect(Self.covers(c?.vector ?? VersionVector(), old.vector), "trial \(trial): ops of \(space) lost")
                    }
                }
            }
        }
        let again = try client.syncOK(serving)
        #expect((again["sent"] as? [String: Any])?["ops"] as? Int == 0)
        #expect((again["received"] as? [String: Any])?["ops"] as? Int == 0)
        #expect(try client.noteIDs() == server.noteIDs())
        print("device kills (\(victim) side of sync, \(Self.trialsPerCommand) trials of 1000 notes, a clean sync takes \(syncTime) s): \(outcomes.sorted { $0.key < $1.key })")
    }
}
