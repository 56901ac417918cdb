import Foundation
import Testing

extension Sandbox {
    /// `fieldnote findings SUBCOMMAND --store … ARGUMENTS…` (the store option belongs to the subcommand).
    @discardableResult
    func findings(_ subcommand: String, _ arguments: String..., input: String? = nil) throws -> FieldnoteProcess.Result {
        try run(["findings", subcommand] + arguments, input: input)
    }

    /// Writes `contents` to a file in the sandbox (beside the store) and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    /// `share NOTE --yes --json`, returning the shared record; throws if sharing fails.
    @discardableResult
    func share(_ note: String, _ extra: String...) throws -> [String: Any] {
        let result = try run(["share", note, "--yes", "--json"] + extra)
        guard result.status == 0, let object = try result.json() as? [String: Any] else {
            throw SandboxError("share failed (\(result.status)): \(result.stderr)")
        }
        return object
    }
}

/// Whether `needle` occurs in `haystack`, byte for byte.
func containsBytes(_ haystack: Data, _ needle: String) -> Bool {
    let needle = Data(needle.utf8)
    return !needle.isEmpty && haystack.range(of: needle) != nil
}

extension BadInputTests {
    /// `expectRefused` for `findings SUBCOMMAND …`, whose `--store` must follow the subcommand:
    /// the arguments are run as given, with the store appended.
    func expectFindingsRefused(
        _ fixture: Fixture, _ arguments: [String], status: Int32, mentioning words: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try fixture.sandbox.snapshot()
        let result = try FieldnoteProcess.run(["findings"] + arguments + ["--store", fixture.sandbox.store.path])
        #expect(result.status == status && result.stdout.isEmpty, "\(arguments): \(result.status) \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        let missing = words.filter { !result.stderr.contains($0) }
        #expect(missing.isEmpty, "\(arguments): \(result.stderr) lacks \(missing)", sourceLocation: sourceLocation)
        #expect(try fixture.sandbox.snapshot() == before, "\(arguments) changed the store", sourceLocation: sourceLocation)
    }
}
