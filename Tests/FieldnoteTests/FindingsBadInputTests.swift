import Foundation
import Testing

/// Refused findings commands: one line on stderr, the documented exit status, the store unchanged.
@Suite("fieldnote findings bad input")
struct FindingsBadInputTests {
    let refusals = BadInputTests()

    @Test func aMalformedImportListsEveryBadRowAndImportsNothing() throws {
        let fixture = try BadInputTests.Fixture()
        let sandbox = fixture.sandbox
        let csv = """
            id,title,publisher,authority,published,category,quote,source
            branch-2025-good,Good row,UNISON branch,Example Council,2025-03,supervision,Supervision stopped.,https://example.org/a
            branch-2025-bad-category,Bad category,UNISON branch,Example Council,2025-03,staffing,Too few staff.,https://example.org/b
            branch-2025-no-quote,No quote,UNISON branch,Example Council,2025-03,workforce,,https://example.org/c
            ofsted-worcestershire-2017-caseloads,Taken id,Ofsted,Worcestershire,2017,caseload_workload,Quote.,https://example.org/d
            """
        let path = try sandbox.file("bad.csv", csv)
        try refusals.expectFindingsRefused(fixture, ["import", path], status: 4,
                                   mentioning: ["nothing imported", "3 problems", "line 3", "staffing", "line 4", "quote", "line 5"])
        let json = """
            [
              {"id": "branch-2025-ok", "title": "T", "publisher": "P", "authority": "A", "published": "2025",
               "category": "workforce", "quote": "Q", "source": "https://example.org"},
              {"id": "Bad Id", "title": "T", "publisher": "P", "authority": "A", "published": "2099-01",
               "category": "workforce", "quote": "Q", "source": "https://example.org"}
            ]
            """
        try refusals.expectFindingsRefused(fixture, ["import", try sandbox.file("bad.json", json)],
                                   status: 4, mentioning: ["line 4", "bad id", "2099-01"])
        try refusals.expectFindingsRefused(fixture, ["import", try sandbox.file("broken.json", "[{\"id\": ")],
                                   status: 4, mentioning: ["nothing imported"])
        try refusals.expectFindingsRefused(fixture, ["import", sandbox.root.appendingPathComponent("missing.csv").path], status: 3, mentioning: ["missing.csv"])
        #expect(try #require(try sandbox.findings("list", "--json").json() as? [[String: Any]]).allSatisfy { $0["origin"] as? String == "built_in" })
    }

    @Test func unknownFindingIdsAreNotFound() throws {
        let fixture = try BadInputTests.Fixture()
        try refusals.expectRefused(fixture, ["link", fixture.first, "ofsted-worcestershire-2017-caseload"], status: 3,
                                   mentioning: ["unknown finding", "ofsted-worcestershire-2017-caseloads"])
        try refusals.expectRefused(fixture, ["link", fixture.first, "no-such-finding"], status: 3, mentioning: ["no-such-finding"])
        try refusals.expectRefused(fixture, ["unlink", fixture.first, "no-such-finding"], status: 3, mentioning: ["no-such-finding"])
        try refusals.expectFindingsRefused(fixture, ["show", "no-such-finding"], status: 3, mentioning: ["no-such-finding"])
        try refusals.expectRefused(fixture, ["link", "ffffffff", "ofsted-worcestershire-2017-caseloads"], status: 3, mentioning: ["ffffffff"])
        try refusals.expectRefused(fixture, ["suggest", "ffffffff"], status: 3, mentioning: ["ffffffff"])
        try refusals.expectRefused(fixture, ["share", "ffffffff", "--yes"], status: 3, mentioning: ["ffffffff"])
    }

    @Test func reportParametersAreChecked() throws {
        let fixture = try BadInputTests.Fixture()
        try refusals.expectRefused(fixture, ["report", "--min-reporters", "0"], status: 4, mentioning: ["--min-reporters", "at least 3"])
        try refusals.expectRefused(fixture, ["report", "--min-reporters", "2"], status: 4, mentioning: ["--min-reporters", "at least 3"])
        try refusals.expectRefused(fixture, ["report", "--since", "last week"], status: 4, mentioning: ["last week", "2026-05-01", "ISO week"])
        try refusals.expectRefused(fixture, ["report", "--since", "2026-05-01", "--until", "2026-01-01"], status: 4, mentioning: ["--since"])
        try refusals.expectRefused(fixture, ["report", "--out", fixture.sandbox.root.path], status: 4, mentioning: ["directory"])
    }

    @Test func sharingRefusesWhatCannotBeShared() throws {
        let fixture = try BadInputTests.Fixture()
        // The second note has neither metrics nor links.
        try refusals.expectRefused(fixture, ["share", fixture.second, "--yes"], status: 4, mentioning: ["nothing to share"])
        // An excerpt naming the case's alias or a case token.
        try refusals.expectRefused(fixture, ["share", fixture.first, "--yes", "--excerpt", "visited the Smiths again"], status: 4,
                                   mentioning: ["excerpt"])
        try refusals.expectRefused(fixture, ["share", fixture.first, "--yes", "--excerpt", "about C-2345-6789"], status: 4,
                                   mentioning: ["excerpt"])
    }

    @Test func aBadUserFindingIsRefusedBeforeTheStoreIsTouched() throws {
        let fixture = try BadInputTests.Fixture()
        let base = ["add", "--title", "T", "--publisher", "P", "--authority", "A",
                    "--category", "workforce", "--quote", "Q", "--source", "https://example.org/x"]
        try refusals.expectFindingsRefused(fixture, base + ["--id", "Not An Id", "--published", "2025"], status: 4, mentioning: ["Not An Id"])
        try refusals.expectFindingsRefused(fixture, base + ["--id", "branch-2099-x", "--published", "2099-01"], status: 4, mentioning: ["2099-01"])
        try refusals.expectFindingsRefused(fixture, base + ["--id", "ofsted-worcestershire-2017-caseloads", "--published", "2025"], status: 4,
                                   mentioning: ["already used"])
    }
}
