import ArgumentParser
import Foundation
import Storage

/// `fieldnote-bench memory`: peak resident memory (VmHWM) of the workloads a device runs, each
/// measured in a fresh child process so that nothing else the benchmark did counts.
struct MemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Measure peak resident memory of trace replay, an open store and serving a sync.",
        discussion: """
            Each figure is the VmHWM (/proc/self/status) of a child process, this executable run \
            again as `memory-scenario`; the median of --runs children after a warm-up child. \
            idle: the process starting and exiting, the floor under every other figure. trace-load: \
            the editing trace decompressed and decoded, nothing replayed. trace: the same, then \
            replayed as local edits on a replica. store: opening \
            the --notes-note store and running a list (50 newest) and a search. serve: serving an \
            initial sync of the --notes-note store to an empty store (the client runs in this \
            process, so only the serving side is measured). MiB = 1,048,576 bytes.
            """
    )

    @Option(help: "Notes in the store that is opened and served.")
    var notes = 100_000

    @Option(help: "Child processes per median (at least 5), after one warm-up.")
    var runs = 5

    @Option(help: "The editing trace (default as for `trace`).")
    var trace: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        let timedRuns = max(5, runs)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fieldnote-bench-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }

        let source = try BenchDevice("source", in: root)
        let receiver = try BenchDevice("receiver", in: root)
        defer { receiver.close() }
        try source.trusts(receiver)
        try receiver.trusts(source)
        try source.fill(NoteCorpus.notes(notes))
        source.close()

        let idle = try median(timedRuns) { try PeakMemory.Child(["--scenario", "idle"]).finish() }
        let traceURL = EditingTrace.locate(explicit: trace)
        let loaded = try traceURL.map { url in
            try median(timedRuns) { try PeakMemory.Child(["--scenario", "trace-load", "--trace", url.path]).finish() }
        }
        let traced = try traceURL.map { url in
            try median(timedRuns) { try PeakMemory.Child(["--scenario", "trace", "--trace", url.path]).finish() }
        }
        let held = try median(timedRuns) { try PeakMemory.Child(["--scenario", "store", "--root", root.path]).finish() }
        var served = 0
        let serving = try median(timedRuns) {
            try receiver.replaceStore()
            let child = try PeakMemory.Child(["--scenario", "serve", "--root", root.path])
            guard let line = child.readLine(), line.hasPrefix("port "), let port = UInt16(line.dropFirst(5)) else {
                throw PeakMemory.ChildError(description: "the serving child did not say its port")
            }
            served = try receiver.sync(port: port).received.applied
            return try child.finish()
        }

        let mebibyte = 1_024.0
        var figures = StoreFigures()
        figures.add("notes", .int(notes), label: "notes in the store")
        figures.add("idle_peak_mib", .number(idle / mebibyte), label: "idle process (floor)", unit: "MiB")
        figures.add("trace_load_peak_mib", loaded.map { .number($0 / mebibyte) } ?? .null, label: "trace loaded (JSON decoded), no replay", unit: "MiB")
        figures.add("trace_peak_mib", traced.map { .number($0 / mebibyte) } ?? .null, label: "trace replay (local edits)", unit: "MiB")
        if traceURL == nil { figures.add("trace_note", .text("editing trace not found"), label: "  note") }
        figures.add("store_peak_mib", .number(held / mebibyte), label: "store open, list + search", unit: "MiB")
        figures.add("serve_peak_mib", .number(serving / mebibyte), label: "serving the initial sync", unit: "MiB")
        figures.add("serve_ops", .int(served), label: "  ops served", unit: "")
        figures.add("timed_runs", .int(timedRuns), label: "timing", unit: "child processes per median, after a warm-up")
        figures.add("cores", .int(Measurement.cores), label: "cores")
        figures.add("cpu_model", .text(Measurement.cpuModel), label: "cpu")
        print(json ? figures.json : figures.table)
    }

    /// The median peak in KiB of `runs` children after a warm-up one.
    private func median(_ runs: Int, _ child: () throws -> Int) throws -> Double {
        _ = try child()
        return Measurement.median(try (0..<runs).map { _ in Double(try child()) })
    }
}
