import ArgumentParser
import Foundation
import SyncCore

/// `fieldnote-bench trace`: the automerge-paper editing trace (259,778 keystrokes) replayed as
/// local edits, the resulting history merged into an empty sequence, and the same keystrokes
/// on a plain gap buffer for scale.
struct TraceCommand: ParsableCommand {
    /// What `local_ms` measures: keystrokes into a note on a replica, each made into an op.
    typealias LocalTarget = ReplicaEditor

    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Replay an editing trace through the text CRDT."
    )

    @Option(help: "The trace (.json.gz). Default: $FIELDNOTE_TRACE, else ../shared/data/editing-traces/\(EditingTrace.fileName).")
    var trace: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Timed runs per figure (after one warm-up); the median is reported.")
    var runs = 5

    @Option(help: "Replay the trace this many times over in one note (concatenated histories), for scaling.")
    var `repeat` = 1

    @Option(help: "Run only one part, untimed, for a profiler: local, sequence, merge or encode.")
    var only: String?

    struct BenchError: Error, CustomStringConvertible {
        var description: String
    }

    func run() throws {
        guard let url = EditingTrace.locate(explicit: trace) else {
            let message = "skipped: editing trace not found (pass --trace PATH or set FIELDNOTE_TRACE)"
            print(json ? "{\"skipped\":\(JSONLine.quote(message))}" : message)
            return
        }
        guard let trace = try EditingTrace.load(from: url).repeated(max(1, self.repeat)) else {
            throw BenchError(description: "--repeat needs a trace that starts from an empty text")
        }
        let edits = trace.edits
        if let only { return try profile(only, trace, edits) }
        let timedRuns = max(5, runs)

        // One untimed replay makes the history that the merge benchmark applies.
        var recorder = ReplicaEditor()
        try TraceReplay.replay(trace, edits, into: &recorder)
        guard recorder.text == trace.endContent else { throw BenchError(description: "local replay did not reach the trace's final text") }
        let encoded = recorder.encodedHistory()
        let historyOps = recorder.replica.log(of: .team).count
        let final = recorder.replica.state(of: recorder.note)!.text

        let localMilliseconds = try Measurement.medianMilliseconds(runs: timedRuns) {
            var editor = LocalTarget()
            try TraceReplay.replay(trace, edits, into: &editor)
            guard editor.count == final.count else { throw BenchError(description: "local replay diverged") }
        }

        // Decoding the encoded history and applying it to an empty replica, as a peer would.
        var merged = ""
        let mergeMilliseconds = try Measurement.medianMilliseconds(runs: timedRuns) {
            let receiver = try ReplicaEditor.merge(encoded)
            merged = receiver.text(of: recorder.note) ?? ""
        }
        guard merged == trace.endContent else { throw BenchError(description: "merge did not reach the trace's final text") }

        // The text sequence alone, without ops, for seeing what the replica layer costs.
        let sequenceMilliseconds = try Measurement.medianMilliseconds(runs: timedRuns) {
            var editor = SequenceEditor()
            try TraceReplay.replay(trace, edits, into: &editor)
        }

        let byteEdits = edits.map { (position: $0.position, deleteCount: $0.deleteCount, bytes: Array($0.inserted.utf8)) }
        var baselineBytes: [UInt8] = []
        let baselineMilliseconds = Measurement.medianMilliseconds(runs: timedRuns) {
            baselineBytes = TraceReplay.baseline(trace, byteEdits).bytes
        }
        guard baselineBytes == Array(trace.endContent.utf8) else { throw BenchError(description: "gap buffer diverged") }

        let stored = final.serialized()
        let finalText = final.text

        var line = JSONLine()
        line.add("edits", edits.count)
        line.add("repeat", max(1, self.repeat))
        line.add("final_length", final.count)
        line.add("final_sha256", SHA256.hex(Array(finalText.utf8)))
        line.add("local_ms", localMilliseconds)
        line.add("merge_ms", mergeMilliseconds)
        line.add("encoded_bytes", encoded.count)
        line.add("history_ops", historyOps)
        line.add("sequence_only_ms", sequenceMilliseconds)
        line.add("state_bytes", stored.count)
        line.add("baseline_ms", baselineMilliseconds)
        line.add("runs", TraceReplay.storedRunCount(stored) ?? -1)
        line.add("timed_runs", timedRuns)
        line.add("cores", Measurement.cores)
        line.add("cpu_model", Measurement.cpuModel)
        if json {
            print(line.text)
        } else {
            let rows: [(String, String)] = [
                ("trace", url.lastPathComponent),
                ("edits", "\(edits.count)" + (self.repeat > 1 ? " (the trace \(self.repeat) times over)" : "")),
                ("final length", "\(final.count) characters"),
                ("final SHA-256", SHA256.hex(Array(finalText.utf8))),
                ("local replay (replica)", String(format: "%.2f ms", localMilliseconds)),
                ("decode + merge into empty replica", String(format: "%.2f ms", mergeMilliseconds)),
                ("gap buffer baseline", String(format: "%.2f ms", baselineMilliseconds)),
                ("text sequence alone", String(format: "%.2f ms", sequenceMilliseconds)),
                ("encoded history", "\(encoded.count) bytes in \(historyOps) ops"),
                ("stored state", "\(stored.count) bytes"),
                ("runs (stored form)", "\(TraceReplay.storedRunCount(stored) ?? -1)"),
                ("timing", "median of \(timedRuns) runs after a warm-up"),
                ("machine", "\(Measurement.cores) cores, \(Measurement.cpuModel)"),
            ]
            let width = rows.map(\.0.count).max() ?? 0
            for (name, value) in rows { print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
        }
    }

    /// One part of the benchmark on its own, so that a profiler (callgrind, perf stat) counts
    /// only that part's instructions beyond the trace loading they all share.
    private func profile(_ part: String, _ trace: EditingTrace, _ edits: [EditingTrace.Edit]) throws {
        switch part {
        case "local":
            var editor = LocalTarget()
            try TraceReplay.replay(trace, edits, into: &editor)
            print("local: \(editor.count) characters")
        case "sequence":
            var editor = SequenceEditor()
            try TraceReplay.replay(trace, edits, into: &editor)
            print("sequence: \(editor.count) characters")
        case "encode", "merge":
            var recorder = ReplicaEditor()
            try TraceReplay.replay(trace, edits, into: &recorder)
            let encoded = recorder.encodedHistory()
            if part == "merge" {
                let receiver = try ReplicaEditor.merge(encoded)
                print("merge: \(receiver.text(of: recorder.note)?.unicodeScalars.count ?? -1) characters")
            } else {
                print("encode: \(encoded.count) bytes")
            }
        case "stats":
            var recorder = ReplicaEditor()
            try TraceReplay.replay(trace, edits, into: &recorder)
            HistoryStats.print(recorder.replica.log(of: .team))
        case "load":
            print("load: \(edits.count) edits")
        default:
            throw BenchError(description: "--only takes local, sequence, merge, encode or load")
        }
    }
}
