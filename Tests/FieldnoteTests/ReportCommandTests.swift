import Findings
import Foundation
import Storage
import SyncCore
import Testing

/// A union rep's report over evidence synced from real worker stores, through `serve` and `sync`.
@Suite("fieldnote report across synced stores")
struct ReportCommandTests {
    /// One worker's device: a case with an alias, a note on it, linked and shared.
    struct Worker {
        let sandbox: Sandbox
        let token: String
        let alias: String
        let body: String
        let note: String
    }

    static let excerpt = "Supervision cancelled for the third week."

    /// Makes a worker who trusts `rep` with the evidence space (and is trusted back) and shares one note.
    static func worker(_ name: String, caseload: Int, rep: Sandbox, excerpt: String? = nil, fields: [String] = []) throws -> Worker {
        let sandbox = try Sandbox()
        try sandbox.markRep(rep, name: "Rep")
        try rep.trust(sandbox, as: name, spaces: "evidence")
        let alias = "the \(name) household"
        let token = try sandbox.run("case", "add", "--alias", alias).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = "Visit to \(alias): mother worried about rent arrears, \(name) saw the baby. Caseload \(caseload)."
        let note = try sandbox.add([body, "--case", token, "--tag", "visit-\(name.lowercased())",
                                    "--field", "caseload=\(caseload)", "--field", "supervision=cancelled"] + fields.flatMap { ["--field", $0] })
        #expect(try sandbox.run("link", note, "ofsted-worcestershire-2017-caseloads").status == 0)
        if let excerpt { try sandbox.share(note, "--excerpt", excerpt) } else { try sandbox.share(note) }
        return Worker(sandbox: sandbox, token: token, alias: alias, body: body, note: note)
    }

    static func report(_ rep: Sandbox, _ extra: String...) throws -> [String: Any] {
        let result = try rep.run(["report", "--format", "json"] + extra)
        guard result.status == 0, let object = try result.json() as? [String: Any] else {
            throw SandboxError("report failed (\(result.status)): \(result.stderr)")
        }
        return object
    }

    static func category(_ report: [String: Any], _ key: String) -> [String: Any]? {
        (report["categories"] as? [[String: Any]])?.first { $0["key"] as? String == key }
    }

    @Test("two reporters: every cell suppressed; a third reporter's sync shows them")
    func twoReportersSuppressThreeShow() throws {
        let rep = try Sandbox()
        let ann = try Self.worker("Ann", caseload: 30, rep: rep)
        let bob = try Self.worker("Bob", caseload: 34, rep: rep)
        let server = try ServerProcess(rep)
        defer { server.terminate() }
        try ann.sandbox.syncOK(server)
        try bob.sandbox.syncOK(server)

        let two = try Self.report(rep)
        #expect((two["total"] as? [String: Any])?["suppressed"] as? Bool == true)
        #expect(Self.category(two, "caseload_workload")?["suppressed"] as? Bool == true)
        #expect(Self.category(two, "caseload_workload")?["statistics"] == nil)
        let markdown = try rep.run("report")
        #expect(markdown.status == 0 && markdown.stdout.contains("held back: fewer than 3 people"))
        #expect(!markdown.stdout.contains("| 2 |"), "a suppressed record count is shown")

        let cat = try Self.worker("Cat", caseload: 41, rep: rep)
        try cat.sandbox.syncOK(server)
        let three = try Self.report(rep)
        let cell = try #require(Self.category(three, "caseload_workload"))
        #expect(cell["suppressed"] as? Bool == false)
        let statistics = try #require(cell["statistics"] as? [String: Any])
        #expect(statistics["records"] as? Int == 3 && statistics["reporters"] as? Int == 3)
        #expect((statistics["caseload"] as? [String: Any])?["median"] as? Double == 34)
        #expect((statistics["caseload"] as? [String: Any])?["maximum"] == nil, "the greatest caseload is one person's")
        #expect((statistics["supervision"] as? [String: Any])?["cancelled"] as? Int == 3)
        // With --min-reporters 4 the same evidence is suppressed again; the citation stays.
        let stricter = try Self.report(rep, "--min-reporters", "4")
        #expect(Self.category(stricter, "caseload_workload")?["suppressed"] as? Bool == true)
        #expect((stricter["citations"] as? [[String: Any]])?.first?["id"] as? String == "ofsted-worcestershire-2017-caseloads")
    }

    @Test("the rep's store files and reports hold no case token, alias or note text, only the explicit excerpt")
    func nothingIdentifyingReachesTheRep() throws {
        let rep = try Sandbox()
        let workers = [
            try Self.worker("Ann", caseload: 30, rep: rep, excerpt: Self.excerpt),
            try Self.worker("Bob", caseload: 34, rep: rep),
            try Self.worker("Cat", caseload: 41, rep: rep),
        ]
        let server = try ServerProcess(rep)
        for worker in workers { try worker.sandbox.syncOK(server) }
        server.terminate()

        var reports = ""
        for format in ["md", "csv", "json", "html"] {
            let result = try rep.run("report", "--format", format)
            #expect(result.status == 0, "\(result.stderr)")
            reports += result.stdout
        }
        #expect(reports.contains("ofsted-worcestershire-2017-caseloads"))
        let files = try rep.snapshot()
        #expect(files.keys.contains { $0.hasSuffix("store.sqlite") })
        #expect(!files.values.contains { containsBytes($0, Self.excerpt) }, "the explicit excerpt travels sealed")
        #expect(reports.contains(Self.excerpt), "and the rep reads it")
        for worker in workers {
            var secrets = [worker.token, worker.token.replacingOccurrences(of: "-", with: ""), worker.alias, worker.body, worker.note]
            secrets += worker.body.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            secrets += ["rent arrears", "saw the baby", "visit-"]
            for secret in secrets {
                for (path, bytes) in files {
                    #expect(!containsBytes(bytes, secret), "\(path) holds \(secret)")
                }
                #expect(!reports.contains(secret), "a report holds \(secret)")
            }
        }
        // The rep holds the evidence space only.
        #expect(try rep.counts("team") == (0, 0))
        #expect(try rep.noteIDs(space: "evidence").isEmpty)
    }

    /// The fields the standards measure, from three workers' notes through `share` and `sync`:
    /// the rep's report judges supervision against the monthly standard, and the date of the last
    /// supervision reaches neither the rep's store nor the report, only its week. Ann works 0.6
    /// of a full-time week: her 30 children count as 50 per FTE, beside the DfE's averages.
    @Test("the standards' fields reach the rep's report; the supervision date only as its week")
    func standardsFieldsReachTheReport() throws {
        let rep = try Sandbox()
        let common = ["week=2026-W10", "lunch_break=not_taken", "hours_toil=2", "newly_qualified=no"]
        let workers = [
            try Self.worker("Ann", caseload: 30, rep: rep, fields: common + ["supervision_date=2026-02-17", "intending_to_leave=yes", "hours_paid=22.2"]),
            try Self.worker("Bob", caseload: 34, rep: rep, fields: common + ["supervision_date=2026-01-05", "caseload_families=14", "hours_paid=37"]),
            try Self.worker("Cat", caseload: 41, rep: rep, fields: common + ["supervision_date=2026-03-03", "intending_to_leave=unsure", "hours_paid=37"]),
        ]
        let server = try ServerProcess(rep)
        for worker in workers { try worker.sandbox.syncOK(server) }
        server.terminate()

        let report = try Self.report(rep)
        let total = try #require((report["total"] as? [String: Any])?["statistics"] as? [String: Any])
        let month = try #require(total["supervision_within_month"] as? [String: Any])
        #expect(month["judged"] as? Int == 3 && month["meeting"] as? Int == 2, "\(month)")
        #expect((total["hours_toil"] as? [String: Any])?["total"] as? Double == 6)
        #expect((total["lunch_break"] as? [String: Any])?["answers"] as? [String: Int] == ["taken": 0, "partly": 0, "not_taken": 3])
        #expect(total["intending_to_leave"] == nil && total["caseload_families"] == nil, "two people's answers, one person's families")
        #expect((total["held_back"] as? [String])?.contains("intending_to_leave") == true)
        #expect((total["caseload"] as? [String: Any])?["median"] as? Double == 34)
        let perFTE = try #require(total["caseload_fte"] as? [String: Any])
        #expect(perFTE["records"] as? Int == 3 && perFTE["median"] as? Double == 41, "30, 34 and 41 are 50, 34 and 41 per FTE")
        let markdown = try rep.run("report").stdout
        for national in ["16.9", "16.3"] {
            #expect(markdown.contains("Median caseload per FTE here (children, scaled to a 37-hour week): 41. Nationally: \(national), "), "\(markdown)")
        }
        #expect(markdown.contains("the median caseload was 41, against a national average of 16.3 per case-holding FTE in 2020"))
        var rendered = ""
        for format in ["md", "csv", "json", "html"] { rendered += try rep.run("report", "--format", format).stdout }
        let files = try rep.snapshot()
        for date in ["2026-02-17", "2026-01-05", "2026-03-03"] {
            #expect(!rendered.contains(date), "a report holds \(date)")
            for (path, bytes) in files { #expect(!containsBytes(bytes, date), "\(path) holds \(date)") }
        }
        #expect(!files.values.contains { containsBytes($0, "2026-W08") }, "the week of the last supervision travels sealed")
    }

    /// A note and an evidence record from a peer whose ops carry values no device writes (a
    /// caseload of 1e300, infinite hours), applied to this device's store as a sync applies them:
    /// every command prints, none traps. `share` refuses the note with a message.
    @Test("a peer's 1e300 and infinite values: report, show, list, search, status and share print, none crashes")
    func hostileNumbersFromAPeerNeverCrashACommand() throws {
        let device = try Sandbox()
        _ = try device.add("Own note", "--field", "caseload=20")
        let peerDirectory = device.root.appendingPathComponent("peer", isDirectory: true)
        var ids: [String] = []
        do {
            let store = try Store(location: StoreLocation(directory: device.store))
            let peer = try Store(location: StoreLocation(directory: peerDirectory))
            defer { try? store.close(); try? peer.close() }
            ids.append(try peer.addNote(text: "Caseload up again.", fields: ["caseload": .int(30), "hours_worked": .double(40)]).hex)
            // Not sealed: a peer's device can write an evidence entity's fields directly.
            ids.append(try peer.addNotes([NoteDraft(text: "", space: .evidence, fields: [
                "week": .string("2026-W10"), "caseload": .int(30), "hours_worked": .double(40), "hours_paid": .double(37),
            ], kind: .evidence)])[0].hex)
            let forged: [String: FieldValue] = ["caseload": .double(1e300), "hours_worked": .double(.infinity)]
            for space in [SpaceID.team, .evidence] {
                let ops = try peer.ops(in: space, above: try store.versionVector(space), limit: 1_000).ops.map { op -> Op in
                    guard case .setField(let entity, let key, _, let pred) = op.payload, let value = forged[key] else { return op }
                    return Op(id: op.id, timestamp: op.timestamp, payload: .setField(entity: entity, key: key, value: value, pred: pred))
                }
                try store.apply(ops)
            }
        }
        for format in ["md", "csv", "json", "html"] {
            let report = try device.run("report", "--format", format)
            #expect(report.status == 0, "report --format \(format): \(report.stderr)")
            #expect(report.stdout.contains("left out") || report.stdout.contains("\"refused_records\" : 1"), "\(format): \(report.stdout)")
        }
        for command in [["show", ids[0]], ["list"], ["list", "--json"], ["search", "caseload"], ["status"], ["status", "--json"]] {
            let result = try device.run(command)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        #expect(try device.run("show", ids[0]).stdout.contains("caseload = 1e+300"))
        let json = try device.note(ids[0])
        #expect((json["fields"] as? [String: Any])?["caseload"] as? Double == 1e300)
        #expect((json["fields"] as? [String: Any])?["hours_worked"] is NSNull, "JSON has no infinity: it is written as null")
        let share = try device.run("share", ids[0], "--yes")
        #expect(share.status != 0 && share.stderr.contains("caseload is 1e+300, which no device writes"), "\(share.stderr)")
        #expect(share.stderr.split(separator: "\n").count <= 2)
    }
}
