import Foundation
import Testing

/// What the client prints for people and for scripts: complete JSON, a pager only at a
/// terminal, help that survives 80 columns, dates read back in the forms they are printed.
@Suite struct OutputTests {
    /// Every command path whose help is checked.
    static let commands: [[String]] = [
        [], ["init"], ["add"], ["list"], ["show"], ["edit"], ["search"], ["tag"], ["rm"], ["purge"],
        ["case", "add"], ["case", "list"], ["case", "show"], ["fields"], ["history"],
        ["findings", "list"], ["findings", "show"], ["findings", "add"], ["findings", "import"],
        ["link"], ["unlink"], ["suggest"], ["share"], ["report"], ["status"], ["id"],
        ["peers", "add"], ["peers", "list"], ["peers", "rm"], ["serve"], ["sync"], ["demo"],
        ["restore"], ["spaces", "add"], ["spaces", "list"],
    ]

    /// The indented lines under "Example:", "Examples:" or "Start with:" in a help text.
    static func examples(_ help: String) -> [String] {
        var inside = false
        var lines: [String] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if ["Example:", "Examples:", "Start with:"].contains(line) { inside = true; continue }
            if let first = line.first, first != " " { inside = false }
            if inside, line.hasPrefix("  ") { lines.append(line) }
        }
        return lines
    }

    @Test func helpExamplesCopyAsTheyAreAtEightyColumns() throws {
        var checked = 0
        for command in OutputTests.commands {
            let wide = try FieldnoteProcess.run(["help"] + command, environment: ["COLUMNS": "300"])
            let narrow = try FieldnoteProcess.run(["help"] + command, environment: ["COLUMNS": "80"])
            let examples = OutputTests.examples(wide.stdout)
            checked += examples.count
            #expect(OutputTests.examples(narrow.stdout) == examples, "help \(command): an example wraps at 80 columns")
            for line in examples { #expect(line.count <= 80, "help \(command): \(line)") }
        }
        #expect(checked > 40, "only \(checked) example lines found: the help layout changed")
    }

    @Test func jsonListsEveryMatchAndTextSaysWhenItStops() throws {
        let sandbox = try Sandbox()
        for index in 1...120 { _ = try sandbox.add("visit \(index) about supervision") }

        let all = try sandbox.run("list", "--json")
        #expect((try all.json() as? [Any])?.count == 120)
        let limited = try sandbox.run("list", "--json", "--limit", "7")
        #expect((try limited.json() as? [Any])?.count == 7)
        let found = try sandbox.run("search", "supervision", "--json")
        #expect((try found.json() as? [Any])?.count == 120)

        let text = try sandbox.run("list")
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").count == 51, "a header and the newest 50")
        #expect(text.stderr.contains("the newest 50 are shown") && text.stderr.contains("--limit"))
    }

    @Test func noPagerWhenStdoutIsNotATerminal() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.add("one note")
        let marker = sandbox.root.appendingPathComponent("pager-ran")
        let pager = try sandbox.script("pager", "touch '\(marker.path)'; cat")
        for command in [["list"], ["search", "note"], ["findings", "list"], ["report"]] {
            let result = try sandbox.run(command, environment: ["PAGER": pager, "FIELDNOTE_PAGER": pager])
            #expect(result.status == 0 && !result.stdout.isEmpty, "\(command): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker.path), "a pager ran with stdout a pipe")
    }

    @Test func datesAreReadBackInEveryFormTheyArePrinted() throws {
        let sandbox = try Sandbox()
        let id = try sandbox.add("written now")
        let created = try #require(try sandbox.note(id)["created"] as? String)
        let listed = try sandbox.run("list")
        // The CREATED column, as people see it: "2026-05-01 10:22".
        let row = try #require(listed.stdout.split(separator: "\n").dropFirst().first)
        let human = row.split(separator: " ", omittingEmptySubsequences: true).dropFirst().prefix(2).joined(separator: " ")
        let day = String(human.prefix(10))

        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = .current
        let now = Date()
        let week = String(format: "%04d-W%02d", calendar.component(.yearForWeekOfYear, from: now), calendar.component(.weekOfYear, from: now))

        for (option, value) in [("--since", human), ("--until", human), ("--since", created), ("--until", created),
                                ("--since", day), ("--until", day), ("--since", week), ("--until", week)] {
            let result = try sandbox.run("list", option, value, "--json")
            #expect(result.status == 0, "\(option) \(value): \(result.stderr)")
            #expect((try? result.json() as? [Any])?.count == 1, "\(option) \(value) left the note out")
        }
        let later = try sandbox.run("list", "--since", "2999-01-01", "--json")
        #expect((try later.json() as? [Any])?.count == 0)
        let report = try sandbox.run("report", "--since", human, "--until", week)
        #expect(report.status == 0, "\(report.stderr)")
        let wrong = try sandbox.run("list", "--since", "yesterday")
        #expect(wrong.status == 2 && wrong.stderr.contains("--since"))
    }

    @Test func theReportFormatFollowsTheFileName() throws {
        let sandbox = try Sandbox()
        let html = sandbox.root.appendingPathComponent("r.html").path
        #expect(try sandbox.run("report", "--out", html).status == 0)
        #expect(try String(contentsOfFile: html, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let csv = sandbox.root.appendingPathComponent("r.CSV").path
        #expect(try sandbox.run("report", "--out", csv).status == 0)
        #expect(try String(contentsOfFile: csv, encoding: .utf8).hasPrefix("section,key,label"))

        let clash = sandbox.root.appendingPathComponent("clash.html").path
        let refused = try sandbox.run("report", "--out", clash, "--format", "csv")
        #expect(refused.status == 2 && refused.stderr.contains("clashes"))
        #expect(!FileManager.default.fileExists(atPath: clash))
    }

    @Test func theStoreMayComeBeforeTheCommand() throws {
        let sandbox = try Sandbox()
        let added = try FieldnoteProcess.run(["--store", sandbox.store.path, "add", "first"])
        #expect(added.status == 0, "\(added.stderr)")
        let listed = try FieldnoteProcess.run(["--store=\(sandbox.store.path)", "--no-pager", "list", "--json"])
        #expect((try listed.json() as? [[String: Any]])?.first?["text"] as? String == "first")
        let nested = try FieldnoteProcess.run(["--store", sandbox.store.path, "case", "list", "--json"])
        #expect(nested.status == 0, "\(nested.stderr)")
        let missing = try FieldnoteProcess.run(["--store"])
        #expect(missing.status == 2 && missing.stderr.contains("--store needs a directory"))
    }

    @Test func tablesFitEightyColumns() throws {
        let (asha, ben) = try trustedPair()
        let note = try asha.add(String(repeating: "Supervision cancelled again and again ", count: 4), "--tag", "supervision")
        _ = try asha.run("case", "add", "--alias", "the Smiths with a long alias for their family")
        let benID = try ben.deviceID()
        let commands: [[String]] = [
            ["list"], ["search", "supervision"], ["history", note], ["findings", "list"], ["peers", "list"],
            ["case", "list"], ["status"], ["spaces", "list"], ["suggest", note],
        ]
        for command in commands {
            let result = try asha.run(command, environment: ["COLUMNS": "80"])
            #expect(result.status == 0, "\(command): \(result.stderr)")
            let long = result.stdout.split(separator: "\n").filter { $0.count > 80 }
            #expect(long.isEmpty, "\(command) at 80 columns: \(long)")
        }
        // Device ids are never cut: people compare them.
        #expect(try asha.run(["peers", "list"], environment: ["COLUMNS": "80"]).stdout.contains(benID))
    }

    @Test func shellCompletionsNameEveryCommand() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try FieldnoteProcess.run(["--generate-completion-script", shell])
            #expect(script.status == 0, "\(shell): \(script.stderr)")
            for command in ["add", "list", "search", "sync", "restore", "spaces"] {
                #expect(script.stdout.contains(command), "\(shell) completion lacks \(command)")
            }
        }
    }
}
