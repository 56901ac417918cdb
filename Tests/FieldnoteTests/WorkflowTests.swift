import Foundation
import Testing

/// A new user's day with the built binary, each test in its own temporary store.
@Suite("fieldnote workflows")
struct WorkflowTests {
    @Test func aNoteWithFieldsTagsAndACaseIsListedShownAndFound() throws {
        let sandbox = try Sandbox()
        let madeCase = try sandbox.run("case", "add", "--alias", "the Smiths")
        #expect(madeCase.status == 0)
        #expect(madeCase.stderr.contains("created store at \(sandbox.store.path)"))
        let token = madeCase.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.wholeMatch(of: /C-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/) != nil)

        let id = try sandbox.add(
            "Caseload 31 today, supervision cancelled for the third week", "--case", "the Smiths",
            "--field", "caseload=31", "--field", "supervision=cancelled", "--field", "hours_worked=41.5",
            "--tag", "supervision", "--tag", "workload")
        #expect(id.wholeMatch(of: /[0-9a-f]{32}/) != nil)
        let other = try sandbox.add("Home visit went well", "--tag", "visit")
        #expect(other != id)

        // show --json: the stable keys and the values given.
        let note = try sandbox.note(id)
        #expect(Set(note.keys) == ["id", "space", "created", "updated", "case", "tags", "fields", "text", "links"])
        #expect(note["id"] as? String == id)
        #expect(note["space"] as? String == "team")
        #expect(note["case"] as? String == token)
        #expect(note["tags"] as? [String] == ["supervision", "workload"])
        #expect(note["text"] as? String == "Caseload 31 today, supervision cancelled for the third week")
        #expect((note["links"] as? [Any])?.isEmpty == true)
        let fields = try #require(note["fields"] as? [String: Any])
        #expect(fields["caseload"] as? Int == 31)
        #expect(fields["supervision"] as? String == "cancelled")
        #expect(fields["hours_worked"] as? Double == 41.5)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let created = try #require(iso.date(from: note["created"] as? String ?? ""))
        #expect(abs(created.timeIntervalSinceNow) < 120)
        #expect(iso.date(from: note["updated"] as? String ?? "") != nil)

        // show for people names the case by its alias too.
        let shown = try sandbox.run("show", id)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("caseload = 31"))
        #expect(shown.stdout.contains("\(token) (the Smiths)"))

        // list: newest first, both in text and JSON; filters by tag and case (alias accepted).
        let listed = try sandbox.run("list")
        #expect(listed.status == 0)
        let rows = listed.stdout.split(separator: "\n")
        #expect(rows.count == 3)
        let shown1 = String(rows[1].prefix { $0 != " " }), shown2 = String(rows[2].prefix { $0 != " " })
        // Shown ids are taken from the random part of the id, after its 12 digits of time.
        #expect(shown1.count >= 8 && other.dropFirst(12).hasPrefix(shown1))
        #expect(shown2.count >= 8 && id.dropFirst(12).hasPrefix(shown2))
        #expect(rows.allSatisfy { $0.count <= 80 })
        let listedJSON = try #require(try sandbox.run("list", "--json").json() as? [[String: Any]])
        #expect(listedJSON.compactMap { $0["id"] as? String } == [other, id])
        let byCase = try #require(try sandbox.run("list", "--case", "the Smiths", "--json").json() as? [[String: Any]])
        #expect(byCase.count == 1)
        let byTag = try #require(try sandbox.run("list", "--tag", "visit", "--json").json() as? [[String: Any]])
        #expect(byTag.count == 1 && byTag[0]["id"] as? String == other)
        let sinceTomorrow = try #require(try sandbox.run("list", "--since", "2999-01-01", "--json").json() as? [Any])
        #expect(sinceTomorrow.isEmpty)

        // search: matches marked with brackets when not on a terminal.
        let found = try sandbox.run("search", "supervision")
        #expect(found.status == 0)
        #expect(found.stdout.contains(id.dropFirst(12).prefix(8)))
        #expect(found.stdout.contains("[supervision]"))
        #expect(!found.stdout.contains("Home visit"))
        let hits = try #require(try sandbox.run("search", "visit", "--json").json() as? [[String: Any]])
        #expect(hits.count == 1 && hits[0]["id"] as? String == other)
    }

    @Test func editThroughAScriptedEditorRecordsOnlyTheChange() throws {
        let sandbox = try Sandbox()
        let id = try sandbox.add("Caseload 31 today")
        let editor = try sandbox.script("editor.sh", #"sed -i 's/31/32/' "$1""#)
        let edited = try sandbox.run("edit", id, environment: ["EDITOR": editor])
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(try sandbox.note(id)["text"] as? String == "Caseload 32 today")

        // One character out, one in: minimal text ops, not a rewrite.
        let history = try #require(try sandbox.run("history", id, "--json").json() as? [[String: Any]])
        let changes = history.compactMap { $0["change"] as? String }
        #expect(changes.suffix(2).sorted() == ["deleted 1 character", "inserted 1 character"])
        #expect(history.allSatisfy { $0["local"] as? Bool == true })

        let unchanged = try sandbox.run("edit", id, environment: ["EDITOR": "true"])
        #expect(unchanged.status == 0)
        #expect(unchanged.stdout.contains("no change"))

        let byOption = try sandbox.run("edit", id, "--text", "Caseload 33 today")
        #expect(byOption.status == 0)
        #expect(try sandbox.note(id)["text"] as? String == "Caseload 33 today")

        let readable = try sandbox.run("history", id)
        #expect(readable.stdout.contains("this device"))
        #expect(readable.stdout.contains("created note"))
    }

    @Test func addTakesTextFromStdinAndFromTheEditor() throws {
        let sandbox = try Sandbox()
        let piped = try sandbox.run("add", "-", "--json", input: "Written on the train\nsecond line\n")
        #expect(piped.status == 0)
        let note = try #require(try piped.json() as? [String: Any])
        #expect(note["text"] as? String == "Written on the train\nsecond line")

        let editor = try sandbox.script("write.sh", #"printf 'From the editor\n' > "$1""#)
        let written = try sandbox.run("add", environment: ["EDITOR": editor])
        #expect(written.status == 0, "\(written.stderr)")
        let id = written.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try sandbox.note(id)["text"] as? String == "From the editor")
    }

    @Test func tagAddsAndRemovesIncludingDashArguments() throws {
        let sandbox = try Sandbox()
        let id = try sandbox.add("Duty day", "--tag", "a", "--tag", "b", "--tag", "h")
        let changed = try sandbox.run("tag", id, "+c", "-b")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("a, c, h"))
        #expect(try sandbox.note(id)["tags"] as? [String] == ["a", "c", "h"])

        // A removal alone, and one that looks like an option once past `--`.
        #expect(try sandbox.run("tag", id, "-a").status == 0)
        #expect(try sandbox.run("tag", id, "--", "-h", "+d").status == 0)
        #expect(try sandbox.note(id)["tags"] as? [String] == ["c", "d"])
    }

    @Test func rmMovesToTheBinAndPurgeErases() throws {
        let sandbox = try Sandbox()
        let kept = try sandbox.add("Keep me")
        let binned = try sandbox.add("Bin me")
        let erased = try sandbox.add("Erase me entirely", "--field", "caseload=20", "--tag", "secret")

        let removed = try sandbox.run("rm", binned)
        #expect(removed.status == 0)
        let listed = try sandbox.run("list").stdout
        #expect(listed.contains("Keep me") && !listed.contains("Bin me"))
        _ = kept
        #expect(try sandbox.run("show", binned).stdout.contains("in the bin"))

        let purged = try sandbox.run("purge", erased, "--yes")
        #expect(purged.status == 0, "\(purged.stderr)")
        let note = try sandbox.note(erased)
        #expect(note["text"] as? String == "")
        #expect((note["fields"] as? [String: Any])?.isEmpty == true)
        #expect((note["tags"] as? [String])?.isEmpty == true)
        #expect(try sandbox.run("search", "Erase").stdout.isEmpty)
        // The words are gone from every file in the store.
        for (path, data) in try sandbox.snapshot() {
            #expect(data.range(of: Data("Erase me entirely".utf8)) == nil, "text left in \(path)")
        }
    }

    @Test func casesHaveTokensAliasesAndNotes() throws {
        let sandbox = try Sandbox()
        let first = try sandbox.run("case", "add", "--alias", "the Smiths").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let second = try sandbox.run("case", "add").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(first != second)
        _ = try sandbox.add("About the Smiths", "--case", first.lowercased())
        _ = try sandbox.add("Also the Smiths", "--case", "the Smiths")

        let cases = try #require(try sandbox.run("case", "list", "--json").json() as? [[String: Any]])
        #expect(cases.compactMap { $0["token"] as? String } == [first, second])
        #expect(cases[0]["alias"] as? String == "the Smiths")
        #expect(cases[1]["alias"] is NSNull)
        #expect(cases[0]["note_count"] as? Int == 2)

        let text = try sandbox.run("case", "list").stdout
        #expect(text.contains(first) && text.contains("the Smiths"))

        let byAlias = try sandbox.run("case", "show", "the Smiths")
        #expect(byAlias.status == 0)
        #expect(byAlias.stdout.contains(first))
        #expect(byAlias.stdout.contains("About the Smiths") && byAlias.stdout.contains("Also the Smiths"))
        let byToken = try #require(try sandbox.run("case", "show", first, "--json").json() as? [String: Any])
        #expect((byToken["notes"] as? [Any])?.count == 2)
    }

    @Test func fieldsListsTheKnownKeys() throws {
        let result = try FieldnoteProcess.run(["fields"])
        #expect(result.status == 0)
        for key in ["caseload", "caseload_families", "hours_worked", "hours_paid", "hours_toil", "hours_recording", "hours_direct",
                    "supervision", "supervision_minutes", "supervision_uninterrupted", "supervision_date", "supervision_week",
                    "newly_qualified", "lunch_break", "intending_to_leave", "unallocated_cases", "incident", "week"] {
            #expect(result.stdout.contains(key))
        }
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let specs = try #require(try FieldnoteProcess.run(["fields", "--json"]).json() as? [[String: Any]])
        let caseload = try #require(specs.first { $0["key"] as? String == "caseload" })
        #expect(caseload["type"] as? String == "integer")
        #expect(caseload["min"] as? Int == 0 && caseload["max"] as? Int == 200)
        let supervision = try #require(specs.first { $0["key"] as? String == "supervision" })
        #expect(supervision["choices"] as? [String] == ["held", "cancelled", "not_scheduled"])
        #expect(specs.first { $0["key"] as? String == "supervision_date" }?["type"] as? String == "date")
        #expect((caseload["meaning"] as? String)?.contains("children") == true && (caseload["meaning"] as? String)?.contains("families") == false)
        #expect(!result.stdout.lowercased().contains("sick") && !result.stdout.lowercased().contains("health"))
    }

    @Test func statusCountsNotesAndShowsTheVector() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run("init", "--name", "work laptop").status == 0)
        #expect(try sandbox.run("init", "--name", "work laptop").status == 0)
        _ = try sandbox.add("One")
        let two = try sandbox.add("Two")
        #expect(try sandbox.run("rm", two).status == 0)

        let status = try #require(try sandbox.run("status", "--json").json() as? [String: Any])
        #expect(status["name"] as? String == "work laptop")
        #expect(status["intact"] as? Bool == true)
        #expect(status["integrity"] as? [String] == ["ok"])
        let replica = try #require(status["replica"] as? String)
        let spaces = try #require(status["spaces"] as? [[String: Any]])
        #expect(spaces.count == 1)
        #expect(spaces[0]["space"] as? String == "team")
        #expect(spaces[0]["notes"] as? Int == 1)
        #expect(spaces[0]["deleted_notes"] as? Int == 1)
        let vector = try #require(spaces[0]["vector"] as? [String: Int])
        #expect(vector.keys.sorted() == [replica])
        // A text insertion numbers each of its characters, so the vector runs ahead of the op count.
        #expect((vector[replica] ?? 0) >= (spaces[0]["ops"] as? Int ?? .max))

        let text = try sandbox.run("status").stdout
        #expect(text.contains("integrity ok"))
        #expect(text.contains("work laptop"))
    }

    @Test func theStoreComesFromTheEnvironmentWithoutStoreOption() throws {
        let sandbox = try Sandbox()
        let home = sandbox.root.appendingPathComponent("home").path
        let added = try FieldnoteProcess.run(["add", "Via FIELDNOTE_HOME"], environment: ["FIELDNOTE_HOME": home])
        #expect(added.status == 0)
        #expect(added.stderr.contains("created store at \(home)"))
        #expect(FileManager.default.fileExists(atPath: home + "/store.sqlite"))
        let listed = try FieldnoteProcess.run(["list"], environment: ["FIELDNOTE_HOME": home])
        #expect(listed.stdout.contains("Via FIELDNOTE_HOME"))
        #expect(listed.stderr.isEmpty)
    }

    @Test func printedIdsAreShortUniqueAndAccepted() throws {
        let sandbox = try Sandbox()
        // The printed id is 8 random digits of the full id (notes made together share its time
        // digits, never these), and typed back in, finds that note.
        var printed: [String] = []
        for index in 0..<3 {
            let result = try sandbox.run("add", "Note \(index)")
            #expect(result.status == 0)
            let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.wholeMatch(of: /[0-9a-f]{8}/) != nil)
            let note = try sandbox.note(id)
            #expect(note["text"] as? String == "Note \(index)")
            #expect((note["id"] as? String)?.dropFirst(12).hasPrefix(id) == true)
            printed.append(id)
        }
        #expect(Set(printed).count == 3)
        let listed = try sandbox.run("list").stdout.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != " " }) }
        for (row, index) in zip(listed, [2, 1, 0]) {
            #expect(try sandbox.note(row)["text"] as? String == "Note \(index)")
        }
    }
}
