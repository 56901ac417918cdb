import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("demo")
struct DemoCommandTests {
    @Test("demo tells the story: the merged text with both edits, and no team note for the rep")
    func demoRuns() throws {
        let home = try Sandbox()
        let result = try FieldnoteProcess.run(["demo"], environment: ["FIELDNOTE_HOME": home.store.path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        let merged = "Duty log, Monday. The duty manager was off sick, so nobody signed them off. Four new referrals came in before noon. Two were screened by an agency worker in her first week."
        #expect(out.contains("\"\(merged)\""), "\(out)")
        #expect(out.contains("Rosa (union rep) received 2 evidence records and no team note: 0 team notes, 0 team ops"), "\(out)")
        #expect(out.contains("listening on 127.0.0.1:"))
        #expect(out.contains("removed the demo directory"))
        // The demo touches no store of the user's.
        #expect(!FileManager.default.fileExists(atPath: home.store.path))
    }

    @Test("demo --json: a summary for scripts; --keep keeps the stores, which the client can read")
    func demoJSONAndKeep() throws {
        let result = try FieldnoteProcess.run(["demo", "--json", "--keep"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try result.json() as? [String: Any])
        let directory = try #require(object["directory"] as? String)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(object["kept"] as? Bool == true)
        let rep = try #require(object["rep"] as? [String: Any])
        #expect(rep["team_notes"] as? Int == 0)
        #expect(rep["team_ops"] as? Int == 0)
        #expect(rep["evidence_notes"] as? Int == 2)
        let text = try #require(object["merged_text"] as? String)
        let edits = try #require(object["edits"] as? [String: String])
        #expect(edits.values.allSatisfy { text.contains($0) })
        #expect((object["syncs"] as? [Any])?.count == 4)
        #expect((object["timings_ms"] as? [String: Double])?["total"] != nil)

        // The kept stores are ordinary stores.
        let ben = URL(fileURLWithPath: directory).appendingPathComponent("ben").path
        let listed = try FieldnoteProcess.run(["list", "--store", ben, "--space", "team", "--json"])
        #expect(listed.status == 0)
        #expect((try listed.json() as? [Any])?.count == 3)
        let rosa = URL(fileURLWithPath: directory).appendingPathComponent("rosa").path
        let repTeam = try FieldnoteProcess.run(["list", "--store", rosa, "--space", "team", "--json"])
        #expect((try repTeam.json() as? [Any])?.isEmpty == true)

        // Without --keep the directory is gone.
        let plain = try FieldnoteProcess.run(["demo", "--json"])
        let plainObject = try #require(try plain.json() as? [String: Any])
        #expect(plainObject["directory"] is NSNull)
    }

    @Test("demo interrupted by Ctrl-C removes its directory and exits 130")
    func demoInterrupted() throws {
        let sandbox = try Sandbox()
        let temporary = sandbox.root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        func demoDirectories() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).filter { $0.hasPrefix("fieldnote-demo.") }
        }
        let demo = try RunningProcess(["demo"], environment: ["TMPDIR": temporary.path])
        defer { demo.terminate() }
        let deadline = Date().addingTimeInterval(30)
        while demoDirectories().isEmpty && demo.process.isRunning && Date() < deadline { usleep(2_000) }
        #expect(!demoDirectories().isEmpty, "the demo made no directory in TMPDIR")
        demo.signal(SIGINT)
        let status = demo.waitForExit(seconds: 30)
        // Interrupted (130), unless the demo had already finished (0): either way nothing is left.
        #expect(status == 130 || status == 0, "\(String(describing: status)): \(demo.stderr)")
        #expect(demoDirectories().isEmpty)
    }
}
