import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `fieldnote` process left running while the test talks to it: its output is collected as it
/// comes, and the test can wait for a line, send a signal, and wait for the exit.
final class RunningProcess: @unchecked Sendable {
    let process = Process()
    private let condition = NSCondition()
    private var out = Data()
    private var err = Data()
    private var openStreams = 2

    /// `executable` (by default fieldnote) with `arguments`: another program for a wrapper
    /// such as `ip netns exec NS fieldnote …`.
    init(_ arguments: [String], environment: [String: String] = [:], executable: URL = FieldnoteProcess.executable) throws {
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["FIELDNOTE_HOME"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
            let handle = pipe.fileHandleForReading
            let thread = Thread { [self] in
                while true {
                    let chunk = handle.availableData
                    condition.lock()
                    if chunk.isEmpty { openStreams -= 1 } else if isOut { out += chunk } else { err += chunk }
                    condition.broadcast()
                    condition.unlock()
                    if chunk.isEmpty { break }
                }
            }
            thread.start()
        }
    }

    var stdout: String { condition.lock(); defer { condition.unlock() }; return String(decoding: out, as: UTF8.self) }
    var stderr: String { condition.lock(); defer { condition.unlock() }; return String(decoding: err, as: UTF8.self) }

    /// Waits until a complete line of stdout (or stderr) satisfies `match`; returns it, or nil on timeout or exit.
    func waitForLine(onStderr: Bool = false, seconds: Double = 30, where match: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while true {
            let text = String(decoding: onStderr ? err : out, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let line = lines.first(where: { match(String($0)) }) { return String(line) }
            if openStreams == 0 || !condition.wait(until: deadline) { return nil }
        }
    }

    func signal(_ number: Int32) { if process.isRunning { kill(process.processIdentifier, number) } }

    /// Waits for the exit (killing the process after `seconds`); returns the status, or nil if it had to be killed.
    @discardableResult
    func waitForExit(seconds: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        // Let the readers take the last bytes.
        condition.lock()
        let end = Date().addingTimeInterval(5)
        while openStreams > 0 && condition.wait(until: end) {}
        condition.unlock()
        return process.terminationStatus
    }

    /// Ends the process if it is still running (for `defer`).
    func terminate() {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if waitForExit(seconds: 10) == nil { return }
    }
}

/// `fieldnote serve --port 0` on loopback, with the port it printed.
final class ServerProcess {
    let running: RunningProcess
    let port: UInt16

    init(_ sandbox: Sandbox) throws {
        running = try RunningProcess(["serve", "--store", sandbox.store.path, "--bind", "127.0.0.1", "--port", "0"])
        guard let line = running.waitForLine(where: { $0.hasPrefix("listening on ") }),
              let port = line.split(separator: ":").last.flatMap({ UInt16($0) }) else {
            running.terminate()
            throw SandboxError("serve did not say where it listens; stderr: \(running.stderr)")
        }
        self.port = port
    }

    var address: String { "127.0.0.1:\(port)" }

    func terminate() { running.terminate() }
}

extension Sandbox {
    /// `fieldnote peers SUBCOMMAND --store … ARGUMENTS…`.
    @discardableResult
    func peers(_ subcommand: String, _ arguments: String...) throws -> FieldnoteProcess.Result {
        try FieldnoteProcess.run(["peers", subcommand, "--store", store.path] + arguments)
    }

    /// This store's device id, from `id --json`.
    func deviceID() throws -> String {
        let result = try run("id", "--json")
        guard result.status == 0, let object = try result.json() as? [String: Any], let id = object["device"] as? String else {
            throw SandboxError("id failed (\(result.status)): \(result.stderr)")
        }
        return id
    }

    /// Trusts `other` under `name` with `spaces`.
    func trust(_ other: Sandbox, as name: String, spaces: String = "team,evidence") throws {
        let result = try peers("add", try other.deviceID(), "--name", name, "--spaces", spaces)
        guard result.status == 0 else { throw SandboxError("peers add failed (\(result.status)): \(result.stderr)") }
    }

    /// `sync ADDRESS --json`, returning the process result (status checked by the caller).
    func sync(_ server: ServerProcess, _ extra: String...) throws -> FieldnoteProcess.Result {
        try run(["sync", server.address, "--json"] + extra)
    }

    /// Syncs with `server` and returns the summary; throws if the sync fails.
    @discardableResult
    func syncOK(_ server: ServerProcess) throws -> [String: Any] {
        let result = try sync(server)
        guard result.status == 0, let object = try result.json() as? [String: Any] else {
            throw SandboxError("sync failed (\(result.status)): \(result.stderr)")
        }
        return object
    }

    /// Ids of the live notes in `space` (every one: `list` stops at 50 by default).
    func noteIDs(space: String = "team") throws -> [String] {
        let result = try run("list", "--space", space, "--json", "--limit", "100000")
        guard result.status == 0, let notes = try result.json() as? [[String: Any]] else {
            throw SandboxError("list failed (\(result.status)): \(result.stderr)")
        }
        return notes.compactMap { $0["id"] as? String }.sorted()
    }

    /// `status --json`.
    func status() throws -> [String: Any] {
        let result = try run("status", "--json")
        guard let object = try result.json() as? [String: Any] else {
            throw SandboxError("status failed (\(result.status)): \(result.stderr)")
        }
        return object
    }

    /// Notes and ops per space, from `status --json`.
    func counts(_ space: String) throws -> (notes: Int, ops: Int) {
        let spaces = try status()["spaces"] as? [[String: Any]] ?? []
        let entry = spaces.first { $0["space"] as? String == space }
        return (entry?["notes"] as? Int ?? 0, entry?["ops"] as? Int ?? 0)
    }
}

/// Two sandboxes whose devices trust each other with team and evidence.
func trustedPair() throws -> (Sandbox, Sandbox) {
    let a = try Sandbox(), b = try Sandbox()
    try a.trust(b, as: "Bea")
    try b.trust(a, as: "Ari")
    return (a, b)
}
