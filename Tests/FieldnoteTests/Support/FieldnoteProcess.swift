import Foundation

/// Runs the `fieldnote` executable built beside the test bundle.
enum FieldnoteProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The lines written to stderr, without the empty one after the last newline.
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty } }

        /// stdout parsed as JSON.
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    static var executable: URL {
        // The test bundle sits in the build products directory, next to the executable.
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidates = [products, Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for directory in candidates {
            let url = directory.appendingPathComponent("fieldnote")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return products.appendingPathComponent("fieldnote")
    }

    /// Runs the binary with `NO_COLOR` set, no store in the environment unless given, and stdin a pipe.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
        try run(executable, arguments, environment: environment, input: input)
    }

    /// Runs `program` (the binary, or a shell running it) as `run(_:environment:input:)` does.
    static func run(_ program: URL, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["FIELDNOTE_HOME"] = nil
        env["EDITOR"] = nil
        env["VISUAL"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes at once so that a full stderr pipe cannot block the child while we wait on stdout.
        let group = DispatchGroup()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async {
            stderrData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
    }
}

/// A temporary directory holding one store, removed when the sandbox goes away.
final class Sandbox {
    let root: URL
    let store: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fieldnote-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        store = root.appendingPathComponent("store", isDirectory: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Runs `fieldnote` with `--store` pointing into the sandbox, placed right after the subcommand
    /// so that it is parsed as an option even before a `--`.
    @discardableResult
    func run(_ arguments: String..., environment: [String: String] = [:], input: String? = nil) throws -> FieldnoteProcess.Result {
        try run(arguments, environment: environment, input: input)
    }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> FieldnoteProcess.Result {
        var arguments = arguments
        let commandWords = ["case", "evidence", "findings", "peers", "spaces"].contains(arguments.first) ? 2 : 1
        arguments.insert(contentsOf: ["--store", store.path], at: min(commandWords, arguments.count))
        return try FieldnoteProcess.run(arguments, environment: environment, input: input)
    }

    /// Adds a note and returns its full id (from `--json`), which stays unambiguous as notes are added.
    func add(_ arguments: String...) throws -> String { try add(arguments) }

    /// `add` with its arguments as an array.
    func add(_ arguments: [String]) throws -> String {
        let result = try run(["add"] + arguments + ["--json"])
        guard result.status == 0, let note = try result.json() as? [String: Any], let id = note["id"] as? String else {
            throw SandboxError("add failed (\(result.status)): \(result.stderr)")
        }
        return id
    }

    /// The note `show --json` prints.
    func note(_ id: String) throws -> [String: Any] {
        let result = try run("show", id, "--json")
        guard result.status == 0, let object = try result.json() as? [String: Any] else {
            throw SandboxError("show failed (\(result.status)): \(result.stderr)")
        }
        return object
    }

    /// Writes an executable shell script into the sandbox, for use as `$EDITOR`.
    func script(_ name: String, _ body: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    /// Every file under the store directory, by relative path, with its bytes.
    func snapshot() throws -> [String: Data] {
        try Self.snapshot(of: store)
    }

    static func snapshot(of directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
        for case let url as URL in enumerator where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            files[String(url.path.dropFirst(directory.path.count))] = try Data(contentsOf: url)
        }
        return files
    }
}

struct SandboxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
