import ArgumentParser
import Foundation
import Storage

/// `fieldnote-bench memory-scenario` (hidden): one scenario of the memory benchmark in a fresh
/// process, ending with its peak resident memory. `memory` runs it; people need not.
struct MemoryScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory-scenario",
        abstract: "One memory scenario in this process (run by `memory`).",
        shouldDisplay: false
    )

    @Option(help: "idle, trace-load, trace, store or serve.")
    var scenario: String

    @Option(help: "The editing trace (trace).")
    var trace: String?

    @Option(help: "The directory holding the source device (store, serve).")
    var root: String?

    struct ScenarioError: Error, CustomStringConvertible {
        var description: String
    }

    func run() throws {
        switch scenario {
        case "idle":
            break
        case "trace-load", "trace":
            guard let url = EditingTrace.locate(explicit: trace) else { throw ScenarioError(description: "no editing trace") }
            let loaded = try EditingTrace.load(from: url)
            guard scenario == "trace" else { break }
            var editor = ReplicaEditor()
            try TraceReplay.replay(loaded, loaded.edits, into: &editor)
            guard editor.count == loaded.endContent.unicodeScalars.count else { throw ScenarioError(description: "trace replay diverged") }
        case "store":
            let source = try BenchDevice("source", in: try rootURL())
            guard try source.store.notes(limit: 50).count == 50, try !source.store.search(StoreCommand.searchQuery).isEmpty else {
                throw ScenarioError(description: "the source store is not as filled")
            }
            source.close()
        case "serve":
            // Serves until the parent, having synced, closes this process's stdin.
            let source = try BenchDevice("source", in: try rootURL())
            let server = try source.startServer()
            print("port \(server.port!)")
            fflush(nil)  // nil: every stream; naming stdout is not concurrency-safe in Swift 6
            while readLine() != nil {}
            server.stop()
            source.close()
        default:
            throw ValidationError("--scenario takes idle, trace-load, trace, store or serve")
        }
        PeakMemory.printOwnPeak()
    }

    private func rootURL() throws -> URL {
        guard let root else { throw ValidationError("--root is needed for \(scenario)") }
        return URL(fileURLWithPath: root)
    }
}
