import Foundation
import Testing

/// Refused commands: one clear line on stderr, a distinct non-zero exit, and every file of the
/// store byte for byte as it was.
@Suite("fieldnote bad input")
struct BadInputTests {
    /// A store with a case and two notes.
    final class Fixture {
        let sandbox: Sandbox
        let first: String
        let second: String

        init() throws {
            sandbox = try Sandbox()
            let token = try sandbox.run("case", "add", "--alias", "the Smiths").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            first = try sandbox.add("Caseload 31 today", "--case", token, "--field", "caseload=31", "--tag", "workload")
            second = try sandbox.add("Supervision cancelled again")
        }
    }

    /// Runs a command that must be refused and checks the refusal.
    func expectRefused(
        _ fixture: Fixture, _ arguments: [String], status: Int32, mentioning words: [String],
        environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try fixture.sandbox.snapshot()
        #expect(!before.isEmpty, sourceLocation: sourceLocation)
        let result = try fixture.sandbox.run(arguments, environment: environment)
        #expect(result.status == status, "\(arguments): exit \(result.status), stderr \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1, "\(arguments): stderr \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
        for word in words {
            #expect(result.stderr.contains(word), "\(arguments): \(result.stderr) lacks \(word)", sourceLocation: sourceLocation)
        }
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        let after = try fixture.sandbox.snapshot()
        #expect(after.keys.sorted() == before.keys.sorted(), sourceLocation: sourceLocation)
        for (path, bytes) in before {
            #expect(after[path] == bytes, "\(arguments) changed \(path)", sourceLocation: sourceLocation)
        }
    }

    @Test func aFieldValueOutOfItsTypeIsRefusedWithTheValidRange() throws {
        let fixture = try Fixture()
        try expectRefused(fixture, ["add", "Too many", "--field", "caseload=lots"], status: 4, mentioning: ["caseload=lots", "0–200"])
        try expectRefused(fixture, ["add", "Too many", "--field", "caseload=500"], status: 4, mentioning: ["caseload"])
        try expectRefused(fixture, ["add", "Odd", "--field", "supervision=maybe"], status: 4, mentioning: ["held", "cancelled"])
        try expectRefused(fixture, ["add", "No equals", "--field", "caseload"], status: 4, mentioning: ["KEY=VALUE"])
    }

    @Test func anUnknownFieldKeyIsRefusedWithTheKnownKeys() throws {
        let fixture = try Fixture()
        try expectRefused(fixture, ["add", "Mood", "--field", "mood=low"], status: 4, mentioning: ["mood", "caseload", "week"])
    }

    @Test func otherRefusedValues() throws {
        let fixture = try Fixture()
        try expectRefused(fixture, ["add", "Spaces in a tag", "--tag", "two words"], status: 4, mentioning: ["two words"])
        try expectRefused(fixture, ["add", "Bad space", "--space", "Not A Space"], status: 4, mentioning: ["Not A Space"])
        try expectRefused(fixture, ["add", "   "], status: 4, mentioning: ["empty"])
        try expectRefused(fixture, ["edit", fixture.first, "--text", ""], status: 4, mentioning: ["empty"])
        try expectRefused(fixture, ["case", "add", "--alias", "the Smiths"], status: 4, mentioning: ["the Smiths"])
    }

    @Test func anUnknownIdIsNotFound() throws {
        let fixture = try Fixture()
        for command in [["show"], ["edit", "--text", "x"], ["rm"], ["purge", "--yes"], ["history"], ["tag", "+x"]] {
            var arguments = command
            arguments.insert("ffffffff", at: 1)
            try expectRefused(fixture, arguments, status: 3, mentioning: ["ffffffff"])
        }
        try expectRefused(fixture, ["show", "not-hex"], status: 4, mentioning: ["not-hex"])
    }

    @Test func anUnknownCaseIsNotFound() throws {
        let fixture = try Fixture()
        try expectRefused(fixture, ["add", "Which case?", "--case", "C-2222-2222"], status: 3, mentioning: ["C-2222-2222"])
        try expectRefused(fixture, ["case", "show", "the Joneses"], status: 3, mentioning: ["the Joneses"])
        try expectRefused(fixture, ["list", "--case", "nobody"], status: 3, mentioning: ["nobody"])
    }

    @Test func anAmbiguousPrefixListsTheCandidates() throws {
        let fixture = try Fixture()
        // Shown ids are random digits: notes are added until two share their first one (at most 15).
        var ids = [fixture.first, fixture.second]
        func sharedDigit() -> String? {
            let digits = ids.map { $0.dropFirst(12).prefix(1) }
            return digits.first { digit in digits.filter { $0 == digit }.count > 1 }.map(String.init)
        }
        while sharedDigit() == nil { ids.append(try fixture.sandbox.add("Filler \(ids.count)")) }
        let prefix = try #require(sharedDigit())
        let shown = ids.filter { $0.dropFirst(12).hasPrefix(prefix) }.map { String($0.dropFirst(12).prefix(8)) }
        #expect(shown.count == 2)
        for command in [["show", prefix], ["rm", prefix], ["edit", prefix, "--text", "x"], ["purge", prefix, "--yes"], ["tag", prefix, "+x"]] {
            try expectRefused(fixture, command, status: 3, mentioning: ["ambiguous"] + shown)
        }
    }

    @Test func anEditorThatFailsChangesNothing() throws {
        let fixture = try Fixture()
        let failing = try fixture.sandbox.script("fail.sh", #"echo 'scribbled' > "$1"; exit 3"#)
        try expectRefused(fixture, ["edit", fixture.first], status: 1, mentioning: ["editor", "status 3"], environment: ["EDITOR": failing])
        try expectRefused(fixture, ["add"], status: 1, mentioning: ["editor", "status 3"], environment: ["EDITOR": failing])
        // An editor that saves nothing for a new note: empty text is refused.
        let emptying = try fixture.sandbox.script("empty.sh", #": > "$1""#)
        try expectRefused(fixture, ["add"], status: 4, mentioning: ["empty"], environment: ["EDITOR": emptying])
    }

    @Test func purgeWithoutATerminalOrYesIsRefused() throws {
        let fixture = try Fixture()
        try expectRefused(fixture, ["purge", fixture.first], status: 1, mentioning: ["--yes"])
    }

    @Test func aStoreDirectoryThatCannotBeCreatedIsReported() throws {
        let sandbox = try Sandbox()
        let blocker = sandbox.root.appendingPathComponent("not-a-directory")
        try Data("a file".utf8).write(to: blocker)
        for store in [blocker.path, blocker.appendingPathComponent("store").path] {
            let result = try FieldnoteProcess.run(["add", "Nowhere to go", "--store", store])
            #expect(result.status == 1)
            #expect(result.stderrLines.count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(blocker.path))
            #expect(result.stdout.isEmpty)
        }
        #expect(try Data(contentsOf: blocker) == Data("a file".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path) == ["not-a-directory"])
    }
}
