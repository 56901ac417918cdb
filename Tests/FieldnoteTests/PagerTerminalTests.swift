import Foundation
import Testing

/// Long output goes through `$PAGER` at a terminal, as git's does, and never when turned off.
@Suite struct PagerTerminalTests {
    /// A pager that records that it ran, whether its stdout is a terminal, and what it was given.
    static func recordingPager(in sandbox: Sandbox) throws -> (command: String, ran: URL, got: URL) {
        let ran = sandbox.root.appendingPathComponent("pager-ran")
        let got = sandbox.root.appendingPathComponent("pager-got")
        let script = try sandbox.script("pager", """
            if [ -t 1 ]; then echo terminal > '\(ran.path)'; else echo pipe > '\(ran.path)'; fi
            cat > '\(got.path)'
            """)
        return (script, ran, got)
    }

    static func start(_ sandbox: Sandbox, _ arguments: [String], pager: String) throws -> PseudoTerminal {
        var environment = ProcessInfo.processInfo.environment
        environment["FIELDNOTE_HOME"] = nil
        environment["TERM"] = "xterm-256color"
        environment["NO_COLOR"] = "1"
        environment["PAGER"] = pager
        environment["FIELDNOTE_PAGER"] = nil
        return try PseudoTerminal(FieldnoteProcess.executable.path, ["--store", sandbox.store.path] + arguments, environment: environment)
    }

    @Test func aListingAtATerminalGoesThroughThePager() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.add("Supervision cancelled again")
        let pager = try Self.recordingPager(in: sandbox)

        let terminal = try Self.start(sandbox, ["list"], pager: pager.command)
        defer { terminal.finish() }
        #expect(terminal.waitForExit() == 0, "\(PseudoTerminal.visibleText(terminal.transcript))")
        #expect(try String(contentsOf: pager.ran, encoding: .utf8) == "terminal\n", "the pager must own the terminal")
        #expect(try String(contentsOf: pager.got, encoding: .utf8).contains("Supervision cancelled again"))
    }

    @Test func noPagerTurnsItOffBeforeOrAfterTheCommand() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.add("Caseload 31")
        let pager = try Self.recordingPager(in: sandbox)
        for arguments in [["--no-pager", "list"], ["list", "--no-pager"], ["search", "caseload", "--no-pager"]] {
            let terminal = try Self.start(sandbox, arguments, pager: pager.command)
            defer { terminal.finish() }
            #expect(terminal.waitForExit() == 0)
            #expect(terminal.waitForOutput(containing: "31", timeout: 10), "\(arguments): \(PseudoTerminal.visibleText(terminal.transcript))")
            #expect(!FileManager.default.fileExists(atPath: pager.ran.path), "\(arguments) started the pager")
        }
    }
}
