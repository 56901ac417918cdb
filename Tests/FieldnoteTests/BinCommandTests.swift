import Foundation
import Testing

/// `rm` puts a note in the bin; `list --bin` shows the bin, `restore` takes a note back out,
/// `purge` erases one for good.
@Suite("the bin")
struct BinCommandTests {
    /// Full ids of the notes `list --bin --json` prints.
    func binned(_ sandbox: Sandbox) throws -> [String] {
        let result = try sandbox.run("list", "--bin", "--json")
        guard result.status == 0, let notes = try result.json() as? [[String: Any]] else {
            throw SandboxError("list --bin failed (\(result.status)): \(result.stderr)")
        }
        return notes.compactMap { $0["id"] as? String }
    }

    @Test("rm, list --bin, restore: the restore syncs and the peer lists the note again")
    func restoreSyncs() throws {
        let (a, b) = try trustedPair()
        let kept = try a.add("Supervision cancelled again")
        let note = try a.add("Home visit, nobody in", "--tag", "visit")
        let server = try ServerProcess(b)
        defer { server.terminate() }
        try a.syncOK(server)
        #expect(try b.noteIDs() == [kept, note].sorted())

        #expect(try a.run("rm", note).stdout.contains("moved"))
        #expect(try binned(a) == [note])
        let table = try a.run("list", "--bin")
        #expect(table.stdout.contains("Home visit, nobody in"), "\(table.stdout)")
        try a.syncOK(server)
        #expect(try b.noteIDs() == [kept])
        #expect(try binned(b) == [note])

        let restored = try a.run("restore", note)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("restored"), "\(restored.stdout)")
        #expect(try binned(a).isEmpty)
        #expect(try a.run("list", "--bin").stderr.contains("the bin is empty"))
        #expect(try a.run("restore", note).stdout.contains("is not in the bin"))
        try a.syncOK(server)
        #expect(try b.noteIDs() == [kept, note].sorted())
        #expect(try binned(b).isEmpty)
        #expect(try b.note(note)["tags"] as? [String] == ["visit"])
        #expect(try b.run("search", "nobody").stdout.contains(String(note.dropFirst(12).prefix(8))))
    }

    @Test("a note in the bin can be purged; it then leaves the bin and cannot be restored")
    func purgeBinned() throws {
        let sandbox = try Sandbox()
        let note = try sandbox.add("Referral details, to be erased")
        #expect(try sandbox.run("rm", note).status == 0)

        // Without a terminal and without --yes, nothing happens.
        let unconfirmed = try sandbox.run("purge", note)
        #expect(unconfirmed.status == 1)
        #expect(unconfirmed.stderr.contains("--yes"), "\(unconfirmed.stderr)")
        #expect(try binned(sandbox) == [note])

        let purged = try sandbox.run("purge", note, "--yes")
        #expect(purged.status == 0, "\(purged.stderr)")
        #expect(purged.stdout.contains("purged"))
        #expect(try binned(sandbox).isEmpty)
        #expect(try sandbox.note(note)["text"] as? String == "")
        let restore = try sandbox.run("restore", note)
        #expect(restore.status == 1)
        #expect(restore.stderr.contains("cannot be restored"), "\(restore.stderr)")
    }

    /// util-linux `script` gives purge a terminal to ask on.
    static let hasScript = FileManager.default.isExecutableFile(atPath: "/usr/bin/script")
        && (try? ExternalProgram.run("/usr/bin/script", ["--version"]))?.contains("util-linux") == true

    @Test("purge asks before erasing a note in the bin, and says it is in the bin",
          .enabled(if: hasScript, "needs util-linux script(1) for a terminal"))
    func purgeBinnedAsks() throws {
        let sandbox = try Sandbox()
        let note = try sandbox.add("Referral details, to be erased")
        #expect(try sandbox.run("rm", note).status == 0)
        let command = [FieldnoteProcess.executable.path, "purge", "--store", sandbox.store.path, note].joined(separator: " ")

        let declined = try ExternalProgram.run("/usr/bin/script", ["-qec", command, "/dev/null"], input: "n\n")
        #expect(declined.contains("in the bin, on every device?"), "\(declined)")
        #expect(try binned(sandbox) == [note])

        let accepted = try ExternalProgram.run("/usr/bin/script", ["-qec", command, "/dev/null"], input: "y\n")
        #expect(accepted.contains("purged"), "\(accepted)")
        #expect(try binned(sandbox).isEmpty)
    }

    @Test("list --bin takes only --space and --limit")
    func binFilters() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run("list", "--bin", "--tag", "visit").status == 2)
        let note = try sandbox.add("Week: caseload 27", "--space", "evidence")
        #expect(try sandbox.run("rm", note).status == 0)
        #expect(try sandbox.run("list", "--bin", "--space", "team", "--json").stdout.contains(note) == false)
        #expect(try sandbox.run("list", "--bin", "--space", "evidence", "--json").stdout.contains(note))
    }
}

/// Runs a program other than fieldnote (here script(1)) and returns its stdout and stderr together.
enum ExternalProgram {
    static func run(_ path: String, _ arguments: [String], input: String = "") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe(), inputPipe = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = inputPipe
        try process.run()
        inputPipe.fileHandleForWriting.write(Data(input.utf8))
        try inputPipe.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
