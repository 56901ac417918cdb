import Foundation
import Storage
import Transport

/// `fieldnote-bench sync --rtt-ms N`: the sessions of the sync benchmark through a
/// `DelayingProxy`, to count the round trips each one waits for.
///
/// On loopback a round trip costs microseconds, so a protocol that waits for one reply too many
/// looks as fast as one that does not. Through a link of N ms, a session's wall time divided by
/// N is the number of round trips it waited for (plus its own work, a few ms at these sizes,
/// which the same session without the proxy shows beside it).
struct SlowLinkRun {
    let source: BenchDevice
    let receiver: BenchDevice
    let notes: Int
    let roundTripMilliseconds: Int
    let runs: Int

    /// The figures, added to `figures` in the order they print.
    func measure(into figures: inout StoreFigures) throws {
        try source.fill(NoteCorpus.notes(notes))
        let server = try source.startServer()
        defer { server.stop() }
        let proxy = try DelayingProxy(targetPort: server.port!, roundTrip: .milliseconds(roundTripMilliseconds))
        defer { proxy.stop() }

        let first = try timedFirstSync(port: proxy.port)
        let firstDirect = try timedFirstSync(port: server.port!)
        var extra = NoteCorpus(seed: 3)
        let unremembered = try timedUnrememberedSync(port: proxy.port, extra: &extra)
        let incremental = try timedIncrementalSync(port: proxy.port, extra: &extra)
        let incrementalDirect = try timedIncrementalSync(port: server.port!, extra: &extra)
        let noop = try Measurement.medianMilliseconds(runs: runs) {
            let summary = try receiver.sync(port: proxy.port)
            guard summary.received.ops == 0, summary.sent.ops == 0 else {
                throw SyncCommand.BenchError(description: "stores in step exchanged ops through the proxy")
            }
        }

        let rtt = Double(roundTripMilliseconds)
        figures.add("notes", .int(notes), label: "notes in the source")
        figures.add("rtt_ms", .int(roundTripMilliseconds), label: "round trip added by the proxy", unit: "ms")
        figures.add("incremental_sync_round_trips", .number(incremental / rtt),
                    label: "one new note between synced stores", unit: "round trips")
        figures.add("incremental_sync_rtt_ms", .number(incremental), label: "  through the proxy", unit: "ms")
        figures.add("incremental_sync_direct_ms", .number(incrementalDirect), label: "  without it", unit: "ms")
        figures.add("first_sync_round_trips", .number(first / rtt),
                    label: "first sync of an empty store", unit: "round trips")
        figures.add("first_sync_rtt_ms", .number(first), label: "  through the proxy", unit: "ms")
        figures.add("first_sync_direct_ms", .number(firstDirect), label: "  without it", unit: "ms")
        figures.add("unremembered_sync_round_trips", .number(unremembered / rtt),
                    label: "both with a new note, no memory of the server", unit: "round trips")
        figures.add("unremembered_sync_rtt_ms", .number(unremembered), label: "  through the proxy", unit: "ms")
        figures.add("noop_sync_round_trips", .number(noop / rtt), label: "no-op sync", unit: "round trips")
        figures.add("noop_sync_rtt_ms", .number(noop), label: "  through the proxy", unit: "ms")
        figures.add("timed_runs", .int(runs), label: "timing", unit: "runs per median, after a warm-up")
        figures.add("timed_from", .text("the TCP connection to the proxy (undelayed) to the end of the session"),
                    label: "timed from")
        figures.add("cores", .int(Measurement.cores), label: "cores")
        figures.add("cpu_model", .text(Measurement.cpuModel), label: "cpu")
    }

    /// A fresh, empty receiver (made untimed) syncing every note of the source.
    private func timedFirstSync(port: UInt16) throws -> Double {
        try Measurement.medianMilliseconds(runs: runs, setup: { try receiver.replaceStore() }) {
            let summary = try receiver.sync(port: port)
            guard summary.received.applied > 0 else { throw SyncCommand.BenchError(description: "the first sync carried nothing") }
        }
    }

    /// A note added on each side and the receiver's memory of the source forgotten (untimed),
    /// then the sync: what a first sync between two stores with notes of their own waits for
    /// (the client's ops go in a closing turn, after the server's answer). A fresh store cannot
    /// stand in for it here: the receiver's device keeps its replica, whose ops the source holds.
    private func timedUnrememberedSync(port: UInt16, extra: inout NoteCorpus) throws -> Double {
        try Measurement.medianMilliseconds(runs: runs, setup: {
            _ = try source.store.addNotes([extra.next()])
            _ = try receiver.store.addNotes([extra.next()])
            try receiver.store.rememberPeerVectors([:], device: source.identity.id.description)
        }) {
            let summary = try receiver.sync(port: port)
            guard summary.received.applied > 0, summary.sent.applied > 0 else {
                throw SyncCommand.BenchError(description: "the sync without memory carried nothing one way")
            }
        }
    }

    /// One note added to the source (untimed), then the sync that carries it.
    private func timedIncrementalSync(port: UInt16, extra: inout NoteCorpus) throws -> Double {
        _ = try receiver.sync(port: port)
        return try Measurement.medianMilliseconds(runs: runs, setup: { _ = try source.store.addNotes([extra.next()]) }) {
            let summary = try receiver.sync(port: port)
            guard summary.received.applied > 0 else { throw SyncCommand.BenchError(description: "the incremental sync carried nothing") }
        }
    }
}
