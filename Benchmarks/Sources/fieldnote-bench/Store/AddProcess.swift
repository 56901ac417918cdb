import Foundation

/// The `fieldnote` terminal client, run as a process the way a person runs it.
struct AddProcess {
    let binary: URL

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The root package: two levels above the Benchmarks package this file is compiled in.
    static var defaultRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Store
            .deletingLastPathComponent()  // fieldnote-bench
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // Benchmarks
            .deletingLastPathComponent()
    }

    /// The release binary of the root package, built first unless `build` is false.
    /// Returns nil, with the reason, when there is no binary to run.
    static func locate(explicit: String?, root: URL, build: Bool) -> (AddProcess?, note: String?) {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard FileManager.default.isExecutableFile(atPath: url.path) else { return (nil, "no executable at \(explicit)") }
            return (AddProcess(binary: url), nil)
        }
        if build {
            // Progress goes to stderr so that `--json` still prints one object on stdout.
            FileHandle.standardError.write(Data("building the fieldnote client (release)…\n".utf8))
            let status = run("/usr/bin/env", ["swift", "build", "-c", "release", "--package-path", root.path, "--product", "fieldnote"],
                             output: FileHandle.standardError)
            if status != 0 { return (nil, "swift build -c release of the fieldnote client failed (exit \(status))") }
        }
        let url = root.appendingPathComponent(".build/release/fieldnote")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            return (nil, "no release build at \(url.path); run swift build -c release in the root package")
        }
        return (AddProcess(binary: url), nil)
    }

    /// Whether the client has an `add` command yet (it is written alongside this benchmark).
    var hasAddCommand: Bool {
        Self.run(binary.path, ["add", "--help"], output: FileHandle.nullDevice) == 0
    }

    /// Runs `fieldnote add TEXT --store DIR` once; throws unless it exits 0.
    ///
    /// Started with `posix_spawn` and reaped with `waitpid`, so the time measured around this call
    /// is the process's own: Foundation's `Process.waitUntilExit` on Linux polls its run loop
    /// every 50 ms, which rounded every `add` up to a multiple of 50 ms (spawning /bin/true timed
    /// at 50.9 ms through it).
    func add(_ text: String, store: URL) throws {
        let status = try Self.spawnAndWait(binary.path, ["add", text, "--store", store.path])
        guard status == 0 else { throw Failure(description: "fieldnote add exited with status \(status)") }
    }

    /// Runs `executable` with stdin, stdout and stderr on /dev/null; returns its exit status.
    static func spawnAndWait(_ executable: String, _ arguments: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw Failure(description: "waitpid failed: \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], output: FileHandle) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
