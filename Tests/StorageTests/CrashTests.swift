import Foundation
import Testing
import SyncCore
@testable import Storage

/// A process killed with SIGKILL in the middle of a large batch leaves a store that opens, passes
/// `PRAGMA integrity_check`, and holds the batch wholly or not at all.
///
/// The test runs its own test binary again (`ChildWorker`) with a filter selecting
/// `crashChildWorker` and an environment variable naming the store; in a normal run that
/// variable is absent and the worker does nothing.
@Suite("Crash safety")
struct CrashTests {
    static let storeVariable = "FIELDNOTE_CRASH_CHILD_STORE"
    static let modeVariable = "FIELDNOTE_CRASH_CHILD_MODE"
    static let sourceVariable = "FIELDNOTE_CRASH_CHILD_SOURCE"
    static let batchSize = 2000
    static let baseNotes = 10

    @Test func killedMidBatchLeavesAllOrNothing() throws {
        var random = SplitMix64(seed: 20)
        // The ops a remote batch will carry, made once.
        let sourceDirectory = TemporaryDirectory("source")
        let source = try sourceDirectory.store()
        let clock = ContinuousClock()
        let batchTime = try clock.measure { try source.addNotes((0..<Self.batchSize).map { NoteDraft(text: "remote note \($0) with some text", tags: ["remote"], fields: ["caseload": .int(Int64($0 % 200))]) }) }
        // Kill at a random moment from the start to a little past the expected end of the batch,
        // so trials cover early, late and after-commit kills.
        let maximumDelay = UInt32(min(5.0, Double(batchTime.components.seconds) + Double(batchTime.components.attoseconds) / 1e18) * 1.5e6)
        let sourceOps = try allOps(source, pageSize: 10_000).count
        try source.close()

        var outcomes: [String: Int] = [:]
        for trial in 0..<20 {
            let mode = trial % 2 == 0 ? "notes" : "apply"
            let directory = TemporaryDirectory()
            let store = try directory.store()
            try store.addNotes((0..<Self.baseNotes).map { NoteDraft(text: "base \($0)") })
            try store.close()

            let child = try ChildWorker(filter: "crashChildWorker", environment: [
                Self.storeVariable: directory.url.path, Self.modeVariable: mode, Self.sourceVariable: sourceDirectory.url.path,
            ], waitingFor: directory.url.path + ".started")
            usleep(UInt32.random(in: 0...maximumDelay, using: &random))
            child.kill()

            let reopened = try directory.store()
            let status = try reopened.status()
            #expect(status.isIntact, "trial \(trial): \(status.integrity)")
            let notes = try reopened.notes(limit: nil).count
            let ops = status.spaces.first?.ops ?? 0
            switch mode {
            case "notes":
                #expect(notes == Self.baseNotes || notes == Self.baseNotes + Self.batchSize, "trial \(trial): \(notes) notes")
            default:
                let whole = notes == Self.baseNotes + Self.batchSize && ops == Self.baseNotes * 2 + sourceOps
                let none = notes == Self.baseNotes && ops == Self.baseNotes * 2
                #expect(whole || none, "trial \(trial): \(notes) notes, \(ops) ops")
            }
            // The store keeps working after the crash.
            try reopened.addNote(text: "after the crash")
            outcomes[mode + (notes == Self.baseNotes ? " none" : " whole"), default: 0] += 1
            try reopened.close()
        }
        // Both outcomes are correct; the batch is large enough that most kills land inside it.
        #expect(outcomes.values.reduce(0, +) == 20)
        print("crash outcomes (batch took \(batchTime)): \(outcomes.sorted { $0.key < $1.key })")
    }

    /// The child's side: does nothing unless started by the test above.
    @Test func crashChildWorker() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment[Self.storeVariable] else { return }
        let store = try Store(directory: URL(fileURLWithPath: path))
        let started = path + ".started"
        if environment[Self.modeVariable] == "apply" {
            let source = try Store(directory: URL(fileURLWithPath: environment[Self.sourceVariable]!))
            let ops = try allOps(source, pageSize: 10_000)
            _ = FileManager.default.createFile(atPath: started, contents: nil)
            try store.apply(ops)
        } else {
            let drafts = (0..<Self.batchSize).map { NoteDraft(text: "crash batch note \($0)", tags: ["crash", "batch"], fields: ["caseload": .int(Int64($0 % 200)), "hours_worked": .double(37.5), "supervision": .string("held")]) }
            _ = FileManager.default.createFile(atPath: started, contents: nil)
            try store.addNotes(drafts)
        }
        // Finished before the kill: wait for it, so the parent's kill is what ends the process.
        sleep(30)
    }
}
