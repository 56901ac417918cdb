import Foundation

/// This test binary run again as a child process, selecting one test (a worker that does nothing
/// unless its environment names a store), so that a test can kill a store's process with SIGKILL
/// at a moment it chooses.
///
/// Why a child process and not `fork()`: after `fork()` only the calling thread exists in the
/// child, while GRDB runs every database access on libdispatch queues, and libdispatch refuses
/// (traps) when used in the child of a multithreaded process.
struct ChildWorker {
    let process = Process()

    /// Starts the test named `filter` with `environment` added to this process's, then waits
    /// (up to a minute) until the file at `signal` exists or the child has exited.
    init(filter: String, environment added: [String: String], waitingFor signal: String) throws {
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["--testing-library", "swift-testing", "--filter", filter]
        process.environment = ProcessInfo.processInfo.environment.merging(added) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: signal) && process.isRunning && Date() < deadline { usleep(1000) }
    }

    /// Kills the child with SIGKILL and waits for it to be gone.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
