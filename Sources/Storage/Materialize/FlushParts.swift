import Dispatch
import Foundation
import SyncCore

/// What a flush builds from values alone — the rows of its new entities, in runs of `run`, and
/// the op log's rows — built on another thread while the writer's thread inserts what is built
/// already, when there are enough new entities for that to pay.
///
/// Why: a batch from a peer mostly creates entities, a thousand at a time. Building their rows
/// (serialising texts, gathering fields and set elements, encoding log groups) was about a quarter
/// of the receiving thread's flush, and SQLite's inserts most of the rest, on the one thread
/// that may use the connection. Built on the other core, the inserts no longer wait for it.
/// The parts are built from copies of the states (values), so nothing the builder reads is
/// shared with the writer's thread, which may change the states in the next batch.
///
/// Sendable: `built`, `cancelled` and `finished` are only touched with `condition` locked; the
/// builder closure captures only values.
final class FlushParts: @unchecked Sendable {
    /// New entities per `FreshRows`: 64 entities' rows fill whole statements of 32 rows.
    static let run = 64
    /// Below this many runs the parts are built on the calling thread, as they are taken:
    /// handing a few runs to another thread costs more than it saves.
    static let backgroundRuns = 4

    private enum Part {
        case fresh(FreshRows)
        case log(OpLogRows.PreparedRows)
    }

    private let condition = NSCondition()
    private var built: [Part?]
    private var cancelled = false
    private var finished = true
    private let build: @Sendable (Int) -> Part

    /// The runs of new entities there are to take, in order, before the log.
    let freshRuns: Int

    /// `fresh`: the new entities, numbered, in the order their rows are inserted; `log`: the ops
    /// to append.
    init(fresh: [(ref: Int64, state: EntityState)], log: [OpLogRows.Pending]) {
        let runs = stride(from: 0, to: fresh.count, by: Self.run).map { $0..<min($0 + Self.run, fresh.count) }
        freshRuns = runs.count
        built = Array(repeating: nil, count: runs.count + 1)
        build = { index in
            index < runs.count ? .fresh(FreshRows(fresh[runs[index]])) : .log(OpLogRows.prepare(log))
        }
        guard runs.count >= Self.backgroundRuns else { return }
        finished = false
        let parts = built.count
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            for index in 0..<parts {
                if condition.withLock({ cancelled }) { break }
                let part = build(index)
                condition.withLock {
                    built[index] = part
                    condition.broadcast()
                }
            }
            condition.withLock {
                finished = true
                condition.broadcast()
            }
        }
    }

    /// Run `index` of the new entities' rows (`0..<freshRuns`), once built. Each part is taken once.
    func fresh(_ index: Int) -> FreshRows {
        guard case .fresh(let rows) = take(index) else { preconditionFailure("part \(index) is not a run of new entities") }
        return rows
    }

    /// The op log's rows, once built.
    func log() -> OpLogRows.PreparedRows {
        guard case .log(let rows) = take(freshRuns) else { preconditionFailure("the last part is the log's") }
        return rows
    }

    /// Stops building what is not built yet and waits until the builder is done: the flush calls
    /// it on every way out, so no builder outlives its transaction.
    func finish() {
        condition.withLock {
            cancelled = true
            while !finished { condition.wait() }
        }
    }

    private func take(_ index: Int) -> Part {
        let waited: Part? = condition.withLock {
            guard !finished || built[index] != nil else { return nil }
            while built[index] == nil { condition.wait() }
            defer { built[index] = nil }
            return built[index]
        }
        // Built on this thread: there was no builder (too few runs), or it has stopped.
        return waited ?? build(index)
    }
}
