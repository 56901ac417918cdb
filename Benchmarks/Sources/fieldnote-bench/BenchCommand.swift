import ArgumentParser

/// Benchmarks of fieldnote's engine, one subcommand per workload, each in its own file.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldnote-bench",
        abstract: "Measure fieldnote's sync engine on recorded workloads.",
        subcommands: [TraceCommand.self, StoreCommand.self, SyncCommand.self, MemoryCommand.self, MemoryScenarioCommand.self]
    )
}
