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
        let merged = "Duty log, Monday. The duty manager post is still vacant, so nobody signed them off. Four new referrals came in before noon. Two were screened with no qualified social worker on duty."
        #expect(out.contains("\"\(merged)\""), "\(out)")
        #expect(out.contains("Rosa (union rep) received 7 evidence records and no team note: 0 team notes, 0 team ops"), "\(out)")
        // Findings and evidence: suggestions with their matched terms, links, and the rep's report
        // with a category held back for having a single reporter.
        #expect(out.contains("1. ofsted-worcestershire-2017-caseloads  matched: "), "\(out)")
        #expect(out.contains("Not shared: the note's text"))
        #expect(out.contains("# Workload evidence report"))
        #expect(out.contains("| Contact, referral and screening at the front door (`front_door`) | held back: fewer than 3 people |"), "\(out)")
        // Three people; how many weekly records depends on whether last week and this week fall
        // in one month.
        #expect(out.contains("| Caseload size and workload pressure (`caseload_workload`) | 3 |"), "\(out)")
        #expect(out.contains("**In short.** 3 people shared"), "\(out)")
        // The fields the standards measure, all on this week's notes: the same whatever the date.
        #expect(out.contains("Their last supervision was within about a month in 2 of 3 person-months (67 %)"), "\(out)")
        #expect(out.contains("Of the 3 who said whether they intend to leave, 2 said yes."), "\(out)")
        #expect(out.contains("- **Supervised within a month**: the LGA Standards for Employers ask for supervision at least monthly."))
        #expect(out.contains("| 13 | 5.5 | 2 of 3 (67 %) | held back | held back | 2 of 3 (67 %) | 2 of 3 (67 %) |"), "\(out)")
        // The DfE's averages per FTE, a line for each verified year, beside the caseload per FTE.
        for (national, year) in [("16.9", 2019), ("16.3", 2020)] {
            #expect(out.contains("Nationally: \(national), the average caseload per case-holding full-time equivalent (FTE) children and family social worker, England, \(year)"))
        }
        #expect(out.contains("- **Caseload per FTE (children)**: "))
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
        #expect(rep["evidence_notes"] as? Int == 0)
        #expect(rep["evidence_records"] as? Int == 7)
        #expect((object["links"] as? [String])?.contains("ofsted-worcestershire-2017-caseloads") == true)
        let report = try #require(object["report"] as? [String: Any])
        let categories = try #require(report["categories"] as? [[String: Any]])
        #expect(categories.first { $0["key"] as? String == "front_door" }?["suppressed"] as? Bool == true)
        let caseload = categories.first { $0["key"] as? String == "caseload_workload" }
        #expect(caseload?["suppressed"] as? Bool == false)
        // Unpaid hours come from fewer than three people: held back on their own, the row shown.
        #expect(((caseload?["statistics"] as? [String: Any])?["held_back"] as? [String])?.contains("unpaid_hours") == true)
        let total = try #require((report["total"] as? [String: Any])?["statistics"] as? [String: Any])
        #expect((total["supervision_within_month"] as? [String: Any])?["meeting"] as? Int == 2)
        #expect((total["lunch_break"] as? [String: Any])?["answers"] as? [String: Int] == ["taken": 0, "partly": 1, "not_taken": 2])
        #expect((total["caseload_families"] as? [String: Any])?["median"] as? Double == 13)
        #expect((report["method"] as? [String: Any])?["definitions"] is [Any])
        let census = (report["benchmarks"] as? [[String: Any]])?.filter { $0["figure"] as? String == "caseload_fte" }
        #expect(census?.map { $0["year"] as? Int } == [2019, 2020])
        let text = try #require(object["merged_text"] as? String)
        let edits = try #require(object["edits"] as? [String: String])
        #expect(edits.values.allSatisfy { text.contains($0) })
        #expect((object["syncs"] as? [Any])?.count == 5)
        #expect((object["timings_ms"] as? [String: Double])?["total"] != nil)

        // The kept stores are ordinary stores.
        let ben = URL(fileURLWithPath: directory).appendingPathComponent("ben").path
        let listed = try FieldnoteProcess.run(["list", "--store", ben, "--space", "team", "--json"])
        #expect(listed.status == 0)
        #expect((try listed.json() as? [Any])?.count == 6)
        let rosa = URL(fileURLWithPath: directory).appendingPathComponent("rosa").path
        let repTeam = try FieldnoteProcess.run(["list", "--store", rosa, "--space", "team", "--json"])
        #expect((try repTeam.json() as? [Any])?.isEmpty == true)
        // The rep's own `report` gives what the demo printed.
        let repReport = try FieldnoteProcess.run(["report", "--store", rosa, "--format", "json"])
        #expect(repReport.status == 0, "\(repReport.stderr)")
        #expect((try repReport.json() as? [String: Any])?["categories"] as? NSArray == report["categories"] as? NSArray)

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
