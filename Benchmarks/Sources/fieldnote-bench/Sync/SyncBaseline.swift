import Foundation
import Storage

/// The notes of the sync benchmark's source inserted into plain SQLite with FTS5
/// (`PlainSQLiteBaseline`), timed in the same run as the initial sync and between its runs, so
/// that `initial_sync_ratio` compares two figures taken under the same load.
///
/// The baseline commits as many transactions as the initial sync committed batches: both then
/// pay the same number of syncs to disk, and the ratio shows what the op log, the CRDT state,
/// TLS and the protocol cost over the least a note store could write.
struct SyncBaseline {
    let drafts: [NoteDraft]
    let directory: URL
    private(set) var samples: [Double] = []

    /// `drafts` must be the source's notes in the order the source wrote them.
    init(drafts: [NoteDraft], directory: URL) {
        self.drafts = drafts
        self.directory = directory
    }

    /// Inserts every note into a fresh database in `transactions` transactions of (nearly) equal
    /// size, keeps the time in `samples` and deletes the database.
    mutating func run(transactions: Int) throws {
        let perTransaction = (drafts.count + max(1, transactions) - 1) / max(1, transactions)
        let batches = stride(from: 0, to: drafts.count, by: perTransaction).map {
            Array(drafts[$0..<min($0 + perTransaction, drafts.count)])
        }
        let path = directory.appendingPathComponent("baseline-\(samples.count).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let seconds = try PlainSQLiteBaseline(path: path, withSearch: true).run(batches)
        samples.append(seconds * 1_000)
    }

    /// The median of the samples after the first (taken beside the sync's warm-up run).
    var medianMilliseconds: Double { Measurement.median(Array(samples.dropFirst())) }
}
