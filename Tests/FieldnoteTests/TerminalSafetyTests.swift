import Foundation
import Testing

/// Text written on another device never reaches a terminal raw: a colleague's buggy or hostile
/// device may put escape sequences and bidirectional overrides in a note, a tag or a finding.
@Suite struct TerminalSafetyTests {
    /// OSC (retitles the window, ended by BEL), CSI (clears the screen), a bare ESC, an 8-bit CSI
    /// and a right-to-left override.
    static let hostile = "Caseload \u{1B}]0;owned\u{07} 31 \u{1B}[2J cleared \u{1B}x \u{9B}31m \u{202E}reversed"

    /// Characters that must never be printed raw (line breaks and tabs are layout).
    static func rawControls(in text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            switch scalar.value {
            case 0x0A, 0x0D, 0x09: false
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: true
            default: false
            }
        }.map { String(format: "U+%04X", $0.value) }
    }

    @Test func aPeersNoteIsPrintedEscapedEverywhere() throws {
        let (writer, reader) = try trustedPair()
        let note = try writer.add(TerminalSafetyTests.hostile, "--tag", "visit\u{1B}[5m", "--field", "caseload=31")
        let finding = try writer.findings(
            "add", "--id", "branch-2026-hostile", "--title", "Title \u{1B}[31m red \u{202E}", "--publisher", "P\u{07}",
            "--authority", "A", "--published", "2026", "--category", "caseload_workload",
            "--quote", "quote \u{1B}]8;;http://x\u{07}link", "--source", "https://example.org/x")
        #expect(finding.status == 0, "\(finding.stderr)")
        #expect(try writer.run("link", note, "branch-2026-hostile").status == 0)
        _ = try writer.share(note)

        let server = try ServerProcess(writer)
        defer { server.terminate() }
        try reader.syncOK(server)

        let commands: [[String]] = [
            ["list"], ["show", note], ["search", "caseload"], ["history", note],
            ["findings", "list"], ["findings", "show", "branch-2026-hostile"],
            ["report", "--format", "md", "--min-reporters", "3"], ["report", "--format", "csv"],
        ]
        for command in commands {
            let result = try reader.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(!result.stdout.isEmpty, "\(command) printed nothing")
            #expect(TerminalSafetyTests.rawControls(in: result.stdout).isEmpty,
                    "\(command) printed \(TerminalSafetyTests.rawControls(in: result.stdout)) raw")
            #expect(TerminalSafetyTests.rawControls(in: result.stderr).isEmpty, "\(command) wrote raw controls to stderr")
        }
        // The escaped form is visible, so nobody mistakes the text for something else.
        let shown = try reader.run("show", note).stdout
        #expect(shown.contains("\\x1B[2J") && shown.contains("\\u{202E}reversed"))
        // JSON stays exact.
        let json = try reader.note(note)
        #expect(json["text"] as? String == TerminalSafetyTests.hostile)
    }
}
