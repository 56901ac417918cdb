import ArgumentParser
import Foundation
import Storage
import Transport

/// `fieldnote-bench sync`: whole sync sessions over real TLS 1.3 on 127.0.0.1, in process,
/// through the library a device runs (`SyncServer`, `SyncClient`, `Store`).
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Measure sync sessions between two stores over TLS on loopback.",
        discussion: """
            Two devices, each with its own identity (key and self-signed certificate), trust list \
            and store in a temporary directory, trust each other with team and evidence. The source \
            serves on 127.0.0.1, port 0; the other device syncs as the client, so every figure is a \
            whole session: TCP connect, TLS 1.3 handshake, HELLO with the version vectors, batches \
            each applied and committed in one transaction (synchronous=NORMAL: a peer can send it again), DONE.

            noop_sync_ms_1k: a sync when both hold the same 1,000 notes. The source is then filled \
            to --notes. initial_sync_ms: --notes notes into an empty store (a fresh store for each \
            run, made untimed). noop_sync_ms_<N>: a sync when both hold the --notes notes. \
            incremental_sync_ms: one note added to the source (untimed), then the sync that carries \
            it. wire_bytes_initial: application bytes both ways in the initial sync (frames, TLS \
            overhead not counted). Medians of --runs runs after a warm-up. The *_cpu_ms figures are \
            the process's CPU time (user + system, both sides' threads) over the same runs: on a \
            machine shared with other work they move much less than wall time.

            initial_index_ms: after each initial sync (untimed there), bringing the search index up \
            to date with the received notes (Store.updateSearchIndex, which search runs first); \
            initial_sync_indexed_ratio counts both over the baseline.

            baseline_sqlite_fts5_ms: the same notes inserted into plain SQLite tables with an FTS5 \
            index (the store benchmark's baseline), in as many transactions as the initial sync's \
            batches, once before each initial sync run; initial_sync_ratio is initial_sync_ms over \
            it, two medians of the same run.

            --rtt-ms N measures round trips instead: the client syncs through a proxy on \
            127.0.0.1 that holds every chunk of bytes N/2 ms in each direction (in order, no \
            bandwidth limit). incremental_sync_round_trips: one note added, then the sync between \
            stores that synced before, its wall time over N; first_sync_round_trips: an empty store \
            syncing the whole source (1,000 notes unless --notes says otherwise). Connecting to the \
            proxy is not delayed, so a round trip of TCP's handshake is not counted.
            """
    )

    @Option(help: "Notes in the source store (1000 or more; default 100000, or 1000 with --rtt-ms).")
    var notes: Int?

    @Option(help: "Sync through a proxy that adds this round trip (ms), and count round trips.")
    var rttMs: Int?

    @Option(help: "Timed runs per median (at least 5), after one warm-up.")
    var runs = 5

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: """
        For a profiler, untimed: initial (fill, a first sync that signs the source's ops as the timed \
        runs' warm-up does, then the initial sync into a fresh store), noop or incremental (the same, \
        then ten of those syncs). Collect on both sides' sessions (callgrind --toggle-collect='*SyncSessionC3run*') \
        and subtract an initial run's counts. On Linux it also prints the bytes the process wrote \
        during the first sync (/proc/self/io).
        """)
    var only: String?

    struct BenchError: Error, CustomStringConvertible {
        var description: String
    }

    func validate() throws {
        guard notes ?? 1_000 >= 1_000 else { throw ValidationError("--notes must be at least 1000 (the no-op figure at 1k comes first)") }
        if let only, !["initial", "noop", "incremental"].contains(only) { throw ValidationError("--only takes initial, noop or incremental") }
        if let rttMs, rttMs < 1 { throw ValidationError("--rtt-ms must be at least 1") }
        if rttMs != nil, only != nil { throw ValidationError("--rtt-ms and --only do not go together") }
    }

    func run() throws {
        let timedRuns = max(5, runs)
        let notes = notes ?? (rttMs == nil ? 100_000 : 1_000)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fieldnote-bench-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }

        let source = try BenchDevice("source", in: root)
        let receiver = try BenchDevice("receiver", in: root)
        defer { source.close(); receiver.close() }
        try source.trusts(receiver)
        try receiver.trusts(source)

        if let rttMs {
            var figures = StoreFigures()
            try SlowLinkRun(source: source, receiver: receiver, notes: notes, roundTripMilliseconds: rttMs, runs: timedRuns)
                .measure(into: &figures)
            print(json ? figures.json : figures.table)
            return
        }

        if let only {
            try source.fill(NoteCorpus.notes(notes))
            let server = try source.startServer()
            defer { server.stop() }
            let port = server.port!
            // As the timed runs' warm-up does: the first sync signs the source's own ops (once per
            // store), which is no part of a later device's first sync.
            _ = try receiver.sync(port: port)
            try receiver.replaceStore()
            FileHandle.standardError.write(Data("the source's ops are signed; the initial sync starts now\n".utf8))
            let written = Self.bytesWritten()
            var carried = try receiver.sync(port: port).received.ops
            if let before = written, let after = Self.bytesWritten() {
                print("written during the first sync: \(after - before) bytes (both sides, and the sockets)")
            }
            var extra = NoteCorpus(seed: 3)
            for _ in 0..<(only == "initial" ? 0 : 10) {
                if only == "incremental" { _ = try source.store.addNotes([extra.next()]) }
                carried += try receiver.sync(port: port).received.ops
            }
            print("\(only): \(carried) ops received")
            return
        }

        let clock = ContinuousClock()
        // The source's notes, the first thousand (synced alone first, for the small no-op figure) then the rest.
        let firstNotes = NoteCorpus.notes(1_000)
        let laterNotes = NoteCorpus.notes(notes - 1_000, seed: 2)
        var fillMilliseconds = try Measurement.milliseconds(clock.measure { try source.fill(firstNotes) })
        let server = try source.startServer()
        defer { server.stop() }
        let port = server.port!

        _ = try receiver.sync(port: port)
        let noopSmall = try timedNoop(receiver, port, runs: timedRuns)

        fillMilliseconds += try Measurement.milliseconds(clock.measure { try source.fill(laterNotes) })

        let sourceOps = try Self.ops(in: source.store)
        var initial: SyncSummary?
        var baseline = SyncBaseline(drafts: firstNotes + laterNotes, directory: root)
        // The received notes' search index, built after each sync (untimed there) and timed apart.
        var indexing: [Double] = []
        func indexReceivedNotes() throws {
            indexing.append(try Measurement.milliseconds(clock.measure { try receiver.store.updateSearchIndex() }))
        }
        let initialTimes = try Measurement.medianTimes(runs: timedRuns, setup: {
            if initial != nil { try indexReceivedNotes() }
            // As many transactions as the last initial sync had batches (the warm-up's sample, before
            // any sync told the count, is not kept).
            try baseline.run(transactions: initial?.received.batches ?? notes / 1_000)
            try receiver.replaceStore()
        }) {
            initial = try receiver.sync(port: port)
        }
        try indexReceivedNotes()
        let indexMilliseconds = Measurement.median(Array(indexing.dropFirst()))
        guard let initial, initial.received.applied == sourceOps, try Self.ops(in: receiver.store) == sourceOps else {
            throw BenchError(description: "the initial sync applied \(initial?.received.applied ?? -1) of the source's \(sourceOps) ops")
        }

        let noopLarge = try timedNoop(receiver, port, runs: timedRuns)

        var extra = NoteCorpus(seed: 3)
        let incrementalTimes = try Measurement.medianTimes(
            runs: timedRuns, setup: { _ = try source.store.addNotes([extra.next()]) }
        ) {
            let summary = try receiver.sync(port: port)
            guard summary.received.applied > 0 else { throw BenchError(description: "the incremental sync carried nothing") }
        }

        let label = Measurement.sizeLabel(notes)
        // At --notes 1000 the second no-op figure is the same size measured again: named so.
        let largeKey = label == "1k" ? "noop_sync_ms_1k_again" : "noop_sync_ms_\(label)"
        var figures = StoreFigures()
        figures.add("notes", .int(notes), label: "notes in the source")
        figures.add("initial_sync_ms", .number(initialTimes.wall), label: "initial sync into an empty store", unit: "ms")
        figures.add("initial_notes_per_s", .number(Double(notes) / initialTimes.wall * 1_000), label: "  throughput", unit: "notes/s")
        figures.add("baseline_sqlite_fts5_ms", .number(baseline.medianMilliseconds),
                    label: "  the same notes into plain SQLite + FTS5", unit: "ms")
        figures.add("initial_sync_ratio", .number(initialTimes.wall / baseline.medianMilliseconds),
                    label: "  initial sync / plain SQLite + FTS5", unit: "×")
        figures.add("initial_index_ms", .number(indexMilliseconds),
                    label: "  then indexing the received notes for search", unit: "ms")
        figures.add("initial_sync_indexed_ratio", .number((initialTimes.wall + indexMilliseconds) / baseline.medianMilliseconds),
                    label: "  sync and indexing / plain SQLite + FTS5", unit: "×")
        figures.add("noop_sync_ms_1k", .number(noopSmall.wall), label: "no-op sync, 1k notes in step", unit: "ms")
        figures.add(largeKey, .number(noopLarge.wall), label: "no-op sync, \(label) notes in step", unit: "ms")
        figures.add("noop_ratio", .number(noopLarge.wall / noopSmall.wall), label: "  \(label) / 1k", unit: "×")
        figures.add("incremental_sync_ms", .number(incrementalTimes.wall), label: "one new note into \(label)-note stores", unit: "ms")
        figures.add("initial_cpu_ms", .number(initialTimes.cpu), label: "CPU (both sides): initial", unit: "ms")
        figures.add("noop_cpu_ms_1k", .number(noopSmall.cpu), label: "  no-op at 1k", unit: "ms")
        figures.add(largeKey.replacingOccurrences(of: "sync_ms", with: "cpu_ms"), .number(noopLarge.cpu),
                    label: "  no-op at \(label)", unit: "ms")
        figures.add("incremental_cpu_ms", .number(incrementalTimes.cpu), label: "  incremental", unit: "ms")
        figures.add("wire_bytes_initial", .int(initial.sent.bytes + initial.received.bytes), label: "initial sync on the wire (frames)", unit: "bytes")
        figures.add("ops_initial", .int(initial.received.ops), label: "  ops", unit: "in \(initial.received.batches) batches")
        figures.add("fill_ms", .number(fillMilliseconds), label: "filling the source (Store.addNotes, untimed)", unit: "ms")
        figures.add("timed_runs", .int(timedRuns), label: "timing", unit: "runs per median, after a warm-up")
        figures.add("cores", .int(Measurement.cores), label: "cores")
        figures.add("cpu_model", .text(Measurement.cpuModel), label: "cpu")
        print(json ? figures.json : figures.table)
    }

    /// Syncs between stores already in step: the cost of finding there is nothing to send.
    private func timedNoop(_ receiver: BenchDevice, _ port: UInt16, runs: Int) throws -> (wall: Double, cpu: Double) {
        try Measurement.medianTimes(runs: runs) {
            let summary = try receiver.sync(port: port)
            guard summary.received.ops == 0, summary.sent.ops == 0 else {
                throw BenchError(description: "stores in step exchanged \(summary.received.ops + summary.sent.ops) ops")
            }
        }
    }

    /// Ops a store holds, all spaces: read from the store rather than assumed from the corpus,
    /// so the check follows the store's op layout.
    private static func ops(in store: Store) throws -> Int {
        try store.status().spaces.reduce(0) { $0 + $1.ops }
    }

    /// The bytes this process has written so far (`wchar` of /proc/self/io), where Linux says.
    static func bytesWritten() -> Int? {
        guard let io = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return nil }
        return io.split(separator: "\n").first { $0.hasPrefix("wchar:") }
            .flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
    }
}
