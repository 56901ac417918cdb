import ArgumentParser
import Foundation
import SyncCore

/// `fieldnote-bench trace`: the automerge-paper editing trace (259,778 keystrokes) replayed as
/// local edits, the resulting history merged into an empty sequence, and the same keystrokes
/// on a plain gap buffer for scale.
struct TraceCommand: ParsableCommand {
    /// What `local_ms` measures: the text sequence alone for now. Pointing this at an editor
    /// that goes through the replica (op creation included) is the whole switch.
    typealias LocalTarget = SequenceEditor

    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Replay an editing trace through the text CRDT."
    )

    @Option(help: "The trace (.json.gz). Default: $FIELDNOTE_TRACE, else ../shared/data/editing-traces/\(EditingTrace.fileName).")
    var trace: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Timed runs per figure (after one warm-up); the median is reported.")
    var runs = 7

    struct BenchError: Error, CustomStringConvertible {
        var description: String
    }

    func run() throws {
        guard let url = EditingTrace.locate(explicit: trace) else {
            let message = "skipped: editing trace not found (pass --trace PATH or set FIELDNOTE_TRACE)"
            print(json ? "{\"skipped\":\(JSONLine.quote(message))}" : message)
            return
        }
        let trace = try EditingTrace.load(from: url)
        let edits = trace.edits
        let timedRuns = max(5, runs)

        // One untimed replay records the history the merge benchmark applies.
        var recorder = SequenceEditor(recording: true)
        try TraceReplay.replay(trace, edits, into: &recorder)
        guard recorder.text == trace.endContent else { throw BenchError(description: "local replay did not reach the trace's final text") }
        let final = recorder.sequence
        let history = recorder.history ?? []

        let localMilliseconds = try Measurement.medianMilliseconds(runs: timedRuns) {
            var editor = LocalTarget()
            try TraceReplay.replay(trace, edits, into: &editor)
            guard editor.count == final.count else { throw BenchError(description: "local replay diverged") }
        }

        var merged = TextSequence()
        let mergeMilliseconds = try Measurement.medianMilliseconds(runs: timedRuns) {
            let (sequence, refused) = TraceReplay.merge(history)
            guard refused == 0 else { throw BenchError(description: "merge refused \(refused) insertions") }
            merged = sequence
        }
        guard merged.text == trace.endContent else { throw BenchError(description: "merge did not reach the trace's final text") }

        let byteEdits = edits.map { (position: $0.position, deleteCount: $0.deleteCount, bytes: Array($0.inserted.utf8)) }
        var baselineBytes: [UInt8] = []
        let baselineMilliseconds = Measurement.medianMilliseconds(runs: timedRuns) {
            baselineBytes = TraceReplay.baseline(trace, byteEdits).bytes
        }
        guard baselineBytes == Array(trace.endContent.utf8) else { throw BenchError(description: "gap buffer diverged") }

        // For now the size of the final CRDT state (`TextSequence.serialized()`), not of the
        // ops: the op codec replaces this figure with the encoded history once it lands.
        let stored = final.serialized()
        let finalText = final.text

        var line = JSONLine()
        line.add("edits", edits.count)
        line.add("final_length", final.count)
        line.add("final_sha256", SHA256.hex(Array(finalText.utf8)))
        line.add("local_ms", localMilliseconds)
        line.add("merge_ms", mergeMilliseconds)
        line.add("encoded_bytes", stored.count)
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
                ("edits", "\(edits.count)"),
                ("final length", "\(final.count) characters"),
                ("final SHA-256", SHA256.hex(Array(finalText.utf8))),
                ("local replay", String(format: "%.2f ms", localMilliseconds)),
                ("merge into empty", String(format: "%.2f ms", mergeMilliseconds)),
                ("gap buffer baseline", String(format: "%.2f ms", baselineMilliseconds)),
                ("stored state", "\(stored.count) bytes"),
                ("runs (stored form)", "\(TraceReplay.storedRunCount(stored) ?? -1)"),
                ("timing", "median of \(timedRuns) runs after a warm-up"),
                ("machine", "\(Measurement.cores) cores, \(Measurement.cpuModel)"),
            ]
            let width = rows.map(\.0.count).max() ?? 0
            for (name, value) in rows { print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value) }
        }
    }
}
