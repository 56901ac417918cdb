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
    func add(_ text: String, store: URL) throws {
        let status = Self.run(binary.path, ["add", text, "--store", store.path], output: FileHandle.nullDevice)
        guard status == 0 else { throw Failure(description: "fieldnote add exited with status \(status)") }
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
