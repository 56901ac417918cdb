import Foundation
import Testing
@testable import fieldnote
#if canImport(Glibc)
import Glibc
#endif

/// `add` and `edit` with a real vim on a pseudo-terminal, driven by keystrokes as a person would.
///
/// vim runs with `-u NONE -N -i NONE -n` so that no vimrc, viminfo or swap file of the machine plays
/// a part; TMPDIR is a directory of the sandbox, so that the tests can see the temporary file go.
@Suite("The editor at a real terminal", .enabled(if: Vim.isInstalled, "vim is not installed at /usr/bin/vim; install it (apt-get install -y vim) to run these tests"))
struct EditorTerminalTests {
    static let vim = Vim.isolated

    /// Starts `fieldnote COMMAND --store STORE ARGUMENTS…` on its own terminal.
    static func start(_ sandbox: Sandbox, _ command: String, _ arguments: String..., environment extra: [String: String] = ["EDITOR": vim]) throws -> PseudoTerminal {
        var environment = ProcessInfo.processInfo.environment
        for key in ["EDITOR", "VISUAL", "FIELDNOTE_HOME"] { environment[key] = nil }
        environment["TERM"] = "xterm-256color"
        environment["NO_COLOR"] = "1"
        environment["TMPDIR"] = try temporaryDirectory(of: sandbox).path
        environment.merge(extra) { $1 }
        return try PseudoTerminal(FieldnoteProcess.executable.path, [command, "--store", sandbox.store.path] + arguments, environment: environment)
    }

    static func temporaryDirectory(of sandbox: Sandbox) throws -> URL {
        let url = sandbox.root.appendingPathComponent("tmp", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// What is left in the sandbox's TMPDIR: nothing, once fieldnote has exited.
    static func leftovers(_ sandbox: Sandbox) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: temporaryDirectory(of: sandbox).path)
    }

    /// Waits for vim to show the buffer, types `keys` in insert-mode-starting form (`i…`, `A…`),
    /// waits for them to be echoed, then leaves insert mode.
    static func type(_ keys: String, echoing echo: String, into terminal: PseudoTerminal) throws {
        terminal.send(keys)
        try #require(terminal.waitForOutput(containing: echo), "vim did not echo what was typed: \(tail(terminal))")
        terminal.send("\u{1B}")
        // Let vim take the Escape on its own, not as the start of a key code with what follows.
        usleep(300_000)
    }

    static func tail(_ terminal: PseudoTerminal) -> String {
        String(PseudoTerminal.visibleText(terminal.transcript).suffix(600))
    }

    static func notes(_ sandbox: Sandbox) throws -> [[String: Any]] {
        try #require(try sandbox.run("list", "--json").json() as? [[String: Any]])
    }

    @Test func addSavesWhatWasTypedWithTheEditorInTheForeground() throws {
        let sandbox = try Sandbox()
        let terminal = try Self.start(sandbox, "add", "--tag", "visit")
        defer { terminal.finish() }
        try #require(terminal.waitForOutput(containing: "Write the note above"), "vim did not draw the note: \(Self.tail(terminal))")

        // vim shares fieldnote's process group, which is the terminal's foreground group, and runs.
        let editor = try #require(ProcessStatus.children(of: terminal.pid).first)
        #expect(editor.processGroup == terminal.pid)
        #expect(editor.terminalForegroundGroup == terminal.pid)
        #expect(editor.state != "T")

        try Self.type("iHome visit, all well", echoing: "Home visit, all well", into: terminal)
        terminal.send(":wq\r")
        #expect(terminal.waitForExit() == 0, "\(Self.tail(terminal))")
        let notes = try Self.notes(sandbox)
        #expect(notes.map { $0["text"] as? String } == ["Home visit, all well"])
        #expect(notes.first?["tags"] as? [String] == ["visit"])
        #expect(try Self.leftovers(sandbox) == [])
    }

    @Test func editSavesWhatWasTypedAndKeepsTheNotesOwnHashLines() throws {
        let sandbox = try Sandbox()
        let id = try sandbox.add("# Visit plan\nCaseload 31")
        // $VISUAL comes before $EDITOR: an $EDITOR that fails is never run.
        let terminal = try Self.start(sandbox, "edit", id, environment: ["VISUAL": Self.vim, "EDITOR": "false"])
        defer { terminal.finish() }
        try #require(terminal.waitForOutput(containing: #"Lines starting with ";" are left out"#), "vim did not draw the note: \(Self.tail(terminal))")

        try Self.type("A, then more", echoing: ", then more", into: terminal)
        terminal.send(":wq\r")
        #expect(terminal.waitForExit() == 0, "\(Self.tail(terminal))")
        #expect(try sandbox.note(id)["text"] as? String == "# Visit plan, then more\nCaseload 31")
        #expect(try Self.leftovers(sandbox) == [])
    }

    /// `fieldnote add </dev/null` at a terminal with an editor named: the editor is given the
    /// controlling terminal as its stdin, so an editor that reads the keyboard from stdin (vim
    /// falls back to stderr by itself; a line editor does not) gets what is typed.
    @Test func aNamedEditorReadsTheTerminalWhenStdinIsRedirected() throws {
        let sandbox = try Sandbox()
        let lineEditor = try sandbox.script("line-editor", #"printf 'line> ' >&2; IFS= read -r line && printf '%s\n' "$line" > "$1""#)
        var environment = ProcessInfo.processInfo.environment
        for key in ["EDITOR", "VISUAL", "FIELDNOTE_HOME"] { environment[key] = nil }
        environment["NO_COLOR"] = "1"
        environment["TMPDIR"] = try Self.temporaryDirectory(of: sandbox).path
        environment["EDITOR"] = lineEditor
        let terminal = try PseudoTerminal("/bin/sh", ["-c", #"exec "$0" add --store "$1" </dev/null"#,
                                                      FieldnoteProcess.executable.path, sandbox.store.path], environment: environment)
        defer { terminal.finish() }
        try #require(terminal.waitForOutput(containing: "line>"), "the editor did not start: \(Self.tail(terminal))")
        terminal.send("Typed with stdin redirected\r")
        #expect(terminal.waitForExit() == 0, "\(Self.tail(terminal))")
        #expect(try Self.notes(sandbox).map { $0["text"] as? String } == ["Typed with stdin redirected"])
        #expect(try Self.leftovers(sandbox) == [])
    }

    @Test func quittingWithAnErrorSavesNothing() throws {
        let sandbox = try Sandbox()
        let terminal = try Self.start(sandbox, "add")
        defer { terminal.finish() }
        try #require(terminal.waitForOutput(containing: "Write the note above"), "vim did not draw the note: \(Self.tail(terminal))")

        try Self.type("iNot this one", echoing: "Not this one", into: terminal)
        terminal.send(":cq\r")
        #expect(terminal.waitForExit() == 1)
        #expect(terminal.waitForOutput(containing: "nothing was saved"))
        #expect(try Self.notes(sandbox).isEmpty)
        #expect(try Self.leftovers(sandbox) == [])
    }

    /// SIGINT to the whole foreground group (what the terminal sends), SIGTERM and SIGHUP to fieldnote alone.
    @Test(arguments: [(SIGINT, true), (SIGTERM, false), (SIGHUP, false)])
    func aSignalWhileEditingSavesNothingAndLeavesNothingBehind(_ signal: Int32, toTheGroup: Bool) throws {
        let sandbox = try Sandbox()
        let id = try sandbox.add("Caseload 31 today")
        let terminal = try Self.start(sandbox, "edit", id)
        defer { terminal.finish() }
        try #require(terminal.waitForOutput(containing: "Change note"), "vim did not draw the note: \(Self.tail(terminal))")
        terminal.send("A and more")
        try #require(terminal.waitForOutput(containing: "and more"))

        kill(toTheGroup ? -terminal.pid : terminal.pid, signal)
        #expect(terminal.waitForExit() == 128 + signal, "\(Self.tail(terminal))")
        #expect(terminal.waitForOutput(containing: "nothing was saved"))
        #expect(terminal.processGroupIsEmpty, "the editor outlived fieldnote")
        #expect(try sandbox.note(id)["text"] as? String == "Caseload 31 today")
        #expect(try Self.leftovers(sandbox) == [])
        // The editor died from a signal: fieldnote put the terminal back as the shell had it.
        let modes = try terminal.terminalModes()
        #expect(modes.c_lflag & tcflag_t(ECHO) != 0 && modes.c_lflag & tcflag_t(ICANON) != 0)
    }
}

enum Vim {
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/vim") }
    /// No vimrc, no viminfo, no swap file: nothing of the machine's set-up plays a part.
    static let isolated = "/usr/bin/vim -u NONE -N -i NONE -n"
}

/// A process's state as /proc/PID/stat gives it.
struct ProcessStatus {
    var pid: pid_t
    var parent: pid_t
    var state: String
    var processGroup: pid_t
    var terminalForegroundGroup: pid_t

    /// Fields after the command name, which is in parentheses and may hold spaces: state, ppid,
    /// pgrp, session, tty_nr, tpgid.
    init?(pid: pid_t) {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 5, let parent = pid_t(fields[1]), let group = pid_t(fields[2]), let foreground = pid_t(fields[5]) else { return nil }
        (self.pid, self.parent, state, processGroup, terminalForegroundGroup) = (pid, parent, String(fields[0]), group, foreground)
    }

    static func children(of parent: pid_t) -> [ProcessStatus] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.compactMap { ProcessStatus(pid: $0) }.filter { $0.parent == parent }
    }
}

/// Without a terminal and without text there is no one to type: fail at once, saying how to give it.
@Suite("The editor without a terminal")
struct EditorWithoutTerminalTests {
    @Test(arguments: [["add"], ["edit", "0193ab12"]])
    func noTextAndNoTerminalFailsAtOnce(_ arguments: [String]) throws {
        let sandbox = try Sandbox()
        let started = Date()
        let result = try sandbox.run(arguments)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.status == 1)
        #expect(result.stderrLines.count <= 2, "\(result.stderr)")
        #expect(result.stderr.contains("no terminal"))
        let howTo = arguments[0] == "add" ? #"fieldnote add "TEXT", or fieldnote add - "# : #"--text "TEXT", or --text - "#
        #expect(result.stderr.contains(howTo), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.store.path), "the store was created")
    }

    @Test func aNamedEditorStillRunsWithoutATerminalAndVisualComesFirst() throws {
        let sandbox = try Sandbox()
        let visual = try sandbox.script("visual.sh", #"printf 'From VISUAL\n' > "$1""#)
        let editor = try sandbox.script("editor.sh", "exit 3")
        let result = try sandbox.run("add", "--json", environment: ["VISUAL": visual, "EDITOR": editor])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try (result.json() as? [String: Any])?["text"] as? String == "From VISUAL")
    }

    @Test func anEditorThatIsMissingSaysHowToChooseOne() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run("add", environment: ["EDITOR": "no-such-editor-anywhere"])
        #expect(result.status == 1)
        // The shell's own "not found" line comes first; fieldnote's error is two lines.
        #expect(result.stderrLines.drop { !$0.hasPrefix("error:") }.count == 2, "\(result.stderr)")
        #expect(result.stderr.contains("cannot run the editor"))
        #expect(result.stderr.contains("$EDITOR"))
    }
}

/// The help lines around the note, and that reading them back never drops a line of the note.
@Suite("Editor buffer")
struct EditorBufferTests {
    @Test func helpLinesAreDroppedAndTheTextComesBack() {
        let buffer = EditorBuffer(text: "", purpose: .newNote)
        #expect(buffer.commentCharacter == "#")
        #expect(buffer.contents.hasPrefix("\n\n# Write the note above."))
        #expect(buffer.contents.contains("caseload"))
        #expect(buffer.contents.contains("--tag"))
        let saved = "Typed here\n" + buffer.contents
        #expect(buffer.noteText(fromSaved: saved) == "Typed here")
        #expect(buffer.noteText(fromSaved: buffer.contents).isEmpty)
    }

    @Test(arguments: [
        ("# Heading\nbody", ";"),
        ("# a\n; b\n@ c", "!"),
        ("plain\n  # indented is not a comment", "#"),
    ])
    func theCommentCharacterStartsNoLineOfTheNote(_ text: String, _ expected: Character) {
        let buffer = EditorBuffer(text: text, purpose: .existingNote("0193ab12"))
        #expect(buffer.commentCharacter == expected)
        #expect(buffer.contents.hasPrefix(text + "\n\n\(expected) Change note 0193ab12 above."))
        // Saved untouched, the note comes back whole.
        #expect(buffer.noteText(fromSaved: buffer.contents) == text)
    }

    @Test func whenEveryCandidateStartsALineNothingIsDropped() {
        let text = EditorBuffer.commentCandidates.map { "\($0) line" }.joined(separator: "\n")
        let buffer = EditorBuffer(text: text, purpose: .existingNote("0193ab12"))
        #expect(buffer.commentCharacter == nil)
        #expect(buffer.contents == text + "\n")
        #expect(buffer.noteText(fromSaved: buffer.contents) == text)
    }

    @Test func windowsLineEndingsStayPartOfTheirLines() {
        let buffer = EditorBuffer(text: "first\r\n# second\r\nthird", purpose: .existingNote("0193ab12"))
        #expect(buffer.commentCharacter == ";")
        #expect(buffer.noteText(fromSaved: buffer.contents) == "first\r\n# second\r\nthird")
    }

    @Test func visualComesBeforeEditorAndViIsTheLastResort() {
        #expect(Editor.command(environment: ["VISUAL": "nano", "EDITOR": "vim"]) == ("nano", true))
        #expect(Editor.command(environment: ["VISUAL": " ", "EDITOR": "vim"]) == ("vim", true))
        #expect(Editor.command(environment: [:]) == ("vi", false))
    }
}
