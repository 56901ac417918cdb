import ArgumentParser
import Foundation
import GRDB
import Storage
import SyncCore

/// `fieldnote-bench store`: bulk insertion through the Store API against plain SQLite, the
/// `fieldnote add` process on a full store, and search and list through the Store API.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Measure the note store: bulk insert, the add command, search and list.",
        discussion: """
            Creates --notes notes (text of 60–120 characters, three fields, two tags) through \
            Store.addNotes in batches of --batch, one transaction each, then the same notes in plain \
            SQLite tables in the same run (the baseline: the system SQLite through GRDB, WAL, \
            synchronous=FULL, one transaction per batch, an FTS5 table over the same text, tags and \
            field values; no op log, vectors, stamps or text CRDT state). The stricter figure without \
            the FTS5 table is reported beside it.

            add_ms_median is the wall time of the `fieldnote add TEXT --store DIR` process on the \
            filled store. The binary is the root package's release build: unless --fieldnote names \
            one, the benchmark first runs `swift build -c release --package-path ROOT --product \
            fieldnote` (ROOT: --root, default the package above Benchmarks/; --no-build skips this \
            and uses ROOT/.build/release/fieldnote as it is). When there is no binary, or it has no \
            `add` command yet, add_ms_median is null and add_note says why.

            search_ms_median and list_ms_median go through the Store API on the filled store: \
            search(\"supervision cancelled\") (top 20 by bm25; about a third of the notes match) and \
            notes(limit: 50), the 50 newest. Medians of --runs runs after one warm-up.
            """
    )

    @Option(help: "How many notes to create (10000 for a quick run).")
    var notes = 100_000

    @Option(help: "Notes per addNotes call and per baseline transaction.")
    var batch = 1_000

    @Option(help: "Timed runs per median (at least 5), after one warm-up.")
    var runs = 7

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "The fieldnote binary to time for add_ms_median (default: the root package's release build).")
    var fieldnote: String?

    @Option(help: "The root package (default: the directory above Benchmarks/).")
    var root: String?

    @Flag(help: "Do not build the fieldnote client; use ROOT/.build/release/fieldnote as it is.")
    var noBuild = false

    @Option(help: "Where to create the stores (default: a fresh temporary directory, removed afterwards).")
    var directory: String?

    static let searchQuery = "supervision cancelled"

    struct BenchError: Error, CustomStringConvertible {
        var description: String
    }

    func validate() throws {
        guard notes >= 1 else { throw ValidationError("--notes must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
    }

    func run() throws {
        let timedRuns = max(5, runs)
        let work = directory.map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("fieldnote-bench-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(at: work) } }

        // Located (and built) first, so that a build does not compete with the timed work.
        let rootURL = root.map { URL(fileURLWithPath: $0) } ?? AddProcess.defaultRoot
        var (client, addNote) = AddProcess.locate(explicit: fieldnote, root: rootURL, build: !noBuild)
        if let found = client, !found.hasAddCommand {
            client = nil
            addNote = "the fieldnote client at \(found.binary.path) has no add command yet"
        }

        var corpus = NoteCorpus()
        var batches: [[NoteDraft]] = []
        var remaining = notes
        while remaining > 0 {
            batches.append(corpus.batch(min(batch, remaining)))
            remaining -= batches.last!.count
        }

        // The baselines first: the store's own files are then the most recently written.
        let baselineSeconds = try PlainSQLiteBaseline(path: work.appendingPathComponent("baseline.sqlite").path, withSearch: true)
            .run(batches)
        let plainSeconds = try PlainSQLiteBaseline(path: work.appendingPathComponent("baseline-nofts.sqlite").path, withSearch: false)
            .run(batches)

        let storeDirectory = work.appendingPathComponent("store")
        let store = try Store(directory: storeDirectory)
        let clock = ContinuousClock()
        let insertion = try clock.measure {
            for drafts in batches { try store.addNotes(drafts) }
        }
        let storeSeconds = Double(insertion.components.seconds) + Double(insertion.components.attoseconds) / 1e18

        var hits = 0
        let searchMilliseconds = try Measurement.medianMilliseconds(runs: timedRuns) {
            hits = try store.search(Self.searchQuery).count
        }
        var listed = 0
        let listMilliseconds = try Measurement.medianMilliseconds(runs: timedRuns) {
            listed = try store.notes(limit: 50).count
        }
        guard hits > 0, listed == min(50, notes) else {
            throw BenchError(description: "search found \(hits) notes and list \(listed): the store is not as written")
        }
        try store.close()

        var addMilliseconds: Double?
        if let client {
            var next = NoteCorpus(seed: 7)
            addMilliseconds = try Measurement.medianMilliseconds(runs: timedRuns) {
                try client.add(next.next().text, store: storeDirectory)
            }
        }

        let storeBytes = Self.bytes(of: storeDirectory.appendingPathComponent("store.sqlite"))
        let baselineBytes = Self.bytes(of: work.appendingPathComponent("baseline.sqlite"))

        var figures = StoreFigures()
        figures.add("notes", .int(notes), label: "notes")
        figures.add("batch", .int(batch), label: "batch (notes per transaction)")
        figures.add("bulk_insert_notes_per_s", .number(Double(notes) / storeSeconds), label: "bulk insert, Store.addNotes", unit: "notes/s")
        figures.add("sqlite_baseline_notes_per_s", .number(Double(notes) / baselineSeconds),
                    label: "plain SQLite baseline (with FTS5)", unit: "notes/s")
        figures.add("sqlite_plain_notes_per_s", .number(Double(notes) / plainSeconds),
                    label: "plain SQLite, no FTS5", unit: "notes/s")
        figures.add("bulk_vs_baseline", .number(baselineSeconds / storeSeconds), label: "store / baseline throughput", unit: "×")
        figures.add("add_ms_median", addMilliseconds.map(Value.number) ?? .null, label: "fieldnote add (process)", unit: "ms")
        if let addNote { figures.add("add_note", .text(addNote), label: "  note") }
        figures.add("search_ms_median", .number(searchMilliseconds), label: "search \"\(Self.searchQuery)\" (top 20)", unit: "ms")
        figures.add("search_hits", .int(hits), label: "  hits returned")
        figures.add("list_ms_median", .number(listMilliseconds), label: "list, 50 newest", unit: "ms")
        figures.add("store_bytes", .int(storeBytes), label: "store database", unit: "bytes")
        figures.add("baseline_bytes", .int(baselineBytes), label: "baseline database", unit: "bytes")
        figures.add("timed_runs", .int(timedRuns), label: "timing", unit: "runs per median, after a warm-up")
        figures.add("baseline", .text("plain tables notes/fields/tags + FTS5 over text, tags, fields; no CRDT bookkeeping; "
                                      + "WAL, synchronous=FULL, one transaction per batch, cached statements"),
                    label: "baseline is")
        figures.add("cores", .int(Measurement.cores), label: "cores")
        figures.add("cpu_model", .text(Measurement.cpuModel), label: "cpu")
        print(json ? figures.json : figures.table)
    }

    typealias Value = StoreFigures.Value

    /// The database file after a checkpoint, plus whatever is still in its WAL.
    static func bytes(of database: URL) -> Int {
        [database.path, database.path + "-wal"].reduce(0) { total, path in
            total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
    }
}
