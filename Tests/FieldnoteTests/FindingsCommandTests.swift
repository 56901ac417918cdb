import Foundation
import Testing

/// `findings`, `link`, `unlink`, `suggest` and `share` through the built binary.
@Suite("fieldnote findings, links, suggestions and sharing")
struct FindingsCommandTests {
    static let caseloadNote = "my caseload is 34 and it is far too large"

    @Test func findingsAreListedByCategoryAndShownInFull() throws {
        let sandbox = try Sandbox()
        let all = try #require(try sandbox.findings("list", "--json").json() as? [[String: Any]])
        #expect(all.count >= 15)
        #expect(all.allSatisfy { $0["origin"] as? String == "built_in" && !(($0["quote"] as? String) ?? "").isEmpty })
        let supervision = try #require(try sandbox.findings("list", "--category", "supervision", "--json").json() as? [[String: Any]])
        #expect(!supervision.isEmpty && supervision.allSatisfy { $0["category"] as? String == "supervision" })
        let table = try sandbox.findings("list", "--category", "caseload_workload")
        #expect(table.status == 0 && table.stdout.contains("ofsted-worcestershire-2017-caseloads"))

        let shown = try sandbox.findings("show", "ofsted-worcestershire-2017-caseloads")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("Worcestershire County Council"))
        #expect(shown.stdout.contains("remain too large"))
        #expect(shown.stdout.contains("communitycare.co.uk"))
        let json = try #require(try sandbox.findings("show", "ofsted-worcestershire-2017-caseloads", "--json").json() as? [String: Any])
        #expect(json["published"] as? String == "2017-01-24")
        #expect(Set(json.keys) == ["id", "title", "publisher", "authority", "published", "category", "quote", "summary", "source", "quoted_in", "verified_in", "origin"])
    }

    @Test func aUserFindingIsAddedOrImportedAndLinkable() throws {
        let sandbox = try Sandbox()
        let added = try sandbox.findings(
            "add", "--id", "branch-2025-caseload-survey", "--title", "Branch survey: caseloads above 25",
            "--publisher", "UNISON Example branch", "--authority", "Example County Council", "--published", "2025-03",
            "--category", "caseload_workload", "--quote", "Two in three members carry more than 25 cases.",
            "--source", "https://example.org/branch-survey-2025")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "branch-2025-caseload-survey\n")
        let csv = """
            id,title,publisher,authority,published,category,quote,source
            branch-2025-supervision,Supervision survey,UNISON Example branch,Example County Council,2025-04,supervision,"Half had no supervision in March, none in April.",https://example.org/s
            branch-2025-recording,Recording survey,UNISON Example branch,Example County Council,2025,recording_it,Recording eats the week.,Example branch newsletter 2025
            """
        let imported = try sandbox.findings("import", try sandbox.file("findings.csv", csv))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 2 findings"))
        let mine = try #require(try sandbox.findings("list", "--json").json() as? [[String: Any]]).filter { $0["origin"] as? String == "user" }
        #expect(mine.compactMap { $0["id"] as? String }.sorted() == ["branch-2025-caseload-survey", "branch-2025-recording", "branch-2025-supervision"])
        let table = try sandbox.run(["findings", "list"], environment: ["COLUMNS": "200"])
        #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix("branch-2025-caseload-survey") && $0.contains("yours") }, "\(table.stdout)")
        // At 80 columns the long ids stack each finding over two lines.
        let narrow = try sandbox.run(["findings", "list"], environment: ["COLUMNS": "80"]).stdout.split(separator: "\n")
        let row = try #require(narrow.firstIndex { $0 == "branch-2025-caseload-survey" })
        #expect(narrow[row + 1].hasPrefix("    ") && narrow[row + 1].contains("yours"))
        #expect(narrow.allSatisfy { $0.count <= 80 })

        // Findings are not notes: listings and search show none of them.
        #expect(try sandbox.noteIDs().isEmpty)
        #expect(try sandbox.run("search", "survey").stderr.contains("no matches"))

        let note = try sandbox.add("Fourth supervision missed", "--field", "supervision=cancelled")
        #expect(try sandbox.run("link", note, "branch-2025-supervision").status == 0)
        #expect(try sandbox.note(note)["links"] as? [String] == ["branch-2025-supervision"])
    }

    @Test func aUserFindingAndLinksSyncToATrustedColleague() throws {
        let (a, b) = try trustedPair()
        let added = try a.findings(
            "add", "--id", "branch-2025-agency-screening", "--title", "Branch survey: agency staff screen referrals",
            "--publisher", "UNISON Example branch", "--authority", "Example County Council", "--published", "2025-05",
            "--category", "front_door", "--quote", "Most referrals were screened by agency staff.", "--source", "Example branch survey, May 2025")
        #expect(added.status == 0, "\(added.stderr)")
        let note = try a.add("Referral screened by an agency worker in her first week")
        #expect(try a.run("link", note, "branch-2025-agency-screening").status == 0)
        let server = try ServerProcess(b)
        defer { server.terminate() }
        try a.syncOK(server)

        let shown = try #require(try b.findings("show", "branch-2025-agency-screening", "--json").json() as? [String: Any])
        #expect(shown["origin"] as? String == "user" && shown["category"] as? String == "front_door")
        #expect(try b.note(note)["links"] as? [String] == ["branch-2025-agency-screening"])
        // B unlinks while A links another finding: both changes arrive, and neither is lost.
        #expect(try b.run("unlink", note, "branch-2025-agency-screening").status == 0)
        #expect(try a.run("link", note, "birmingham-scrutiny-2009-referrals-screened-by-inexperienced-staff").status == 0)
        try a.syncOK(server)
        for side in [a, b] {
            #expect(try side.note(note)["links"] as? [String] == ["birmingham-scrutiny-2009-referrals-screened-by-inexperienced-staff"])
        }
        #expect(try b.noteIDs() == [note])
    }

    @Test func linksAreAddedShownAndRemoved() throws {
        let sandbox = try Sandbox()
        let note = try sandbox.add(Self.caseloadNote, "--field", "caseload=34")
        let linked = try sandbox.run("link", note, "ofsted-worcestershire-2017-caseloads")
        #expect(linked.status == 0)
        #expect(linked.stdout.contains("Worcestershire: caseloads remain too large"))
        #expect(try sandbox.run("link", note, "swtf-2009-supervision-squeezed-out", "--json").status == 0)
        #expect(try sandbox.note(note)["links"] as? [String] == ["ofsted-worcestershire-2017-caseloads", "swtf-2009-supervision-squeezed-out"])
        // show and list say so.
        #expect(try sandbox.run("show", note).stdout.contains("findings ofsted-worcestershire-2017-caseloads, swtf-2009-supervision-squeezed-out"))
        #expect(try sandbox.run(["list"], environment: ["COLUMNS": "200"]).stdout.contains("[2 findings]"))
        // Linking again changes nothing; unlinking removes one.
        #expect(try sandbox.run("link", note, "ofsted-worcestershire-2017-caseloads").status == 0)
        let unlinked = try #require(try sandbox.run("unlink", note, "ofsted-worcestershire-2017-caseloads", "--json").json() as? [String: Any])
        #expect(unlinked["links"] as? [String] == ["swtf-2009-supervision-squeezed-out"])
        let history = try sandbox.run(["history", note], environment: ["COLUMNS": "200"])
        #expect(history.stdout.contains("unlinked finding ofsted-worcestershire-2017-caseloads"), "\(history.stdout)")
    }

    @Test func suggestRanksACaseloadFindingFirstAndShowsTheMatchedTerms() throws {
        let sandbox = try Sandbox()
        let note = try sandbox.add(Self.caseloadNote)
        let suggested = try #require(try sandbox.run("suggest", note, "--limit", "3", "--json").json() as? [[String: Any]])
        #expect(suggested.count == 3)
        let first = try #require(suggested.first)
        let id = try #require(first["id"] as? String)
        #expect(first["category"] as? String == "caseload_workload", "\(suggested)")
        #expect(first["rank"] as? Int == 1)
        let terms = try #require(first["matched_terms"] as? [String])
        #expect(terms.contains("caseload") && terms.contains("large"))
        let text = try sandbox.run("suggest", note)
        #expect(text.stdout.hasPrefix("1. \(id)"))
        #expect(text.stdout.contains("matched: "))
        // A linked finding is not suggested again.
        #expect(try sandbox.run("link", note, id).status == 0)
        let after = try #require(try sandbox.run("suggest", note, "--json").json() as? [[String: Any]])
        #expect(!after.contains { $0["id"] as? String == id })
    }

    @Test func shareShowsWhatLeavesAsksAndWritesOnlyOnYes() throws {
        let sandbox = try Sandbox()
        let token = try sandbox.run("case", "add", "--alias", "the Smiths").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = try sandbox.add("Home visit, the boiler is broken again. Caseload 34.", "--case", token,
                                   "--field", "caseload=34", "--field", "supervision=cancelled", "--tag", "visit")
        #expect(try sandbox.run("link", note, "ofsted-worcestershire-2017-caseloads").status == 0)

        // Asked and declined (or no answer at all): the preview is shown and nothing is written.
        try sandbox.markRep()
        for answer in ["n\n", ""] {
            let before = try sandbox.snapshot()
            let declined = try sandbox.run(["share", note], input: answer)
            #expect(declined.status == 1, "\(declined.stderr)")
            #expect(declined.stdout.contains("week "))
            #expect(declined.stdout.contains("caseload            34"))
            #expect(declined.stdout.contains("Not shared: the note's text"))
            #expect(!declined.stdout.contains(token) && !declined.stdout.contains("boiler") && !declined.stdout.contains("Smiths"))
            #expect(declined.stderr.contains("[y/N]") && declined.stderr.contains("nothing was shared"))
            #expect(try sandbox.snapshot() == before)
        }
        let accepted = try sandbox.run(["share", note], input: "y\n")
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("shared note"))

        let record = try sandbox.share(note, "--excerpt", "Third cancelled supervision this month.")
        #expect(record["excerpt"] as? String == "Third cancelled supervision this month.")
        #expect((record["week"] as? String)?.wholeMatch(of: /\d{4}-W\d{2}/) != nil)
        #expect(record["categories"] as? [String] == ["caseload_workload"])
        #expect(Set(record.keys) == ["id", "week", "metrics", "categories", "findings", "excerpt", "replaced"])
        // Evidence records are not notes.
        #expect(try sandbox.noteIDs(space: "evidence").isEmpty)
        // One person's records: held back, whatever is asked; a threshold below 3 is refused.
        let report = try #require(try sandbox.run("report", "--format", "json").json() as? [String: Any])
        #expect((report["total"] as? [String: Any])?["suppressed"] as? Bool == true)
        let refused = try sandbox.run("report", "--min-reporters", "1")
        #expect(refused.status == 4 && refused.stderr.contains("at least 3"), "\(refused.stderr)")
    }
}
