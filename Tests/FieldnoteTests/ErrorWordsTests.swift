import Foundation
import Testing

/// Every error is at most two lines, what happened and what to do next, with its documented
/// exit status.
@Suite struct ErrorWordsTests {
    /// Checks the shape of a refusal: the status, `error:` then at most a `hint:`, short lines.
    func expectTwoLines(_ result: FieldnoteProcess.Result, status: Int32, _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(what): exit \(result.status), \(result.stderr)", sourceLocation: sourceLocation)
        // Notes that come before the error (a store created on first use) are not part of it.
        let lines = Array(result.stderrLines.drop { !$0.hasPrefix("error: ") })
        #expect((1...2).contains(lines.count), "\(what): \(lines.count) lines: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("error: ") == true, "\(what): \(result.stderr)", sourceLocation: sourceLocation)
        if lines.count == 2 { #expect(lines[1].hasPrefix("hint: "), "\(what): \(result.stderr)", sourceLocation: sourceLocation) }
    }

    @Test func aColleagueWhoHasNotAddedThisDeviceIsExplainedInTwoLines() throws {
        let asha = try Sandbox(), ben = try Sandbox()
        try asha.trust(ben, as: "Ben", spaces: "team")
        let server = try ServerProcess(ben)
        defer { server.terminate() }

        let refused = try asha.run("sync", server.address)
        expectTwoLines(refused, status: 6, "not added by the server")
        let ashaID = try asha.deviceID()
        #expect(refused.stderr.contains("has not added this device"))
        #expect(refused.stderrLines.allSatisfy { $0.count <= 140 }, "\(refused.stderr)")
        #expect(refused.stderrLines.last?.contains("fieldnote peers add \(ashaID)") == true, "\(refused.stderr)")
        #expect(!refused.stderr.contains("HELLO") && !refused.stderr.contains("[handshake_failed]"), "jargon: \(refused.stderr)")
    }

    @Test func syncFailuresSayWhatToDoNext() throws {
        let lonely = try Sandbox()
        let nobody = try lonely.run("sync", "127.0.0.1:9")
        expectTwoLines(nobody, status: 6, "trusts nobody")
        #expect(nobody.stderr.contains("peers add"))

        let (asha, _) = try trustedPair()
        // A port nothing listens on: bound, then closed.
        let unreachable = try asha.run("sync", "127.0.0.1:1")
        expectTwoLines(unreachable, status: 5, "unreachable")
        #expect(unreachable.stderr.contains("fieldnote serve"))
    }

    @Test func refusedInputIsTwoLinesAtMost() throws {
        let sandbox = try Sandbox()
        _ = try sandbox.add("a note")
        let cases: [([String], Int32)] = [
            (["show", "ffffffffffff"], 3),
            (["add", "text", "--field", "caseload=lots"], 4),
            (["add", "text", "--field", "nonsense=1"], 4),
            (["add", "   "], 4),
            (["add", "text", "--case", "nobody"], 3),
            (["list", "--since", "last week"], 2),
            (["report", "--since", "last week"], 4),
            (["peers", "add", "not-an-id", "--name", "X"], 4),
        ]
        for (arguments, status) in cases {
            let result = try FieldnoteProcess.run(["--store", sandbox.store.path] + arguments)
            if status == 2 {
                #expect(result.status == 2, "\(arguments): \(result.stderr)")
            } else {
                expectTwoLines(result, status: status, "\(arguments)")
            }
        }
    }
}
