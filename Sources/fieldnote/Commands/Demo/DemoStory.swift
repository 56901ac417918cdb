import Findings
import Foundation
import Storage
import SyncCore
import Transport

/// The demo's script: who does what, in order, told as it happens.
struct DemoStory {
    let root: URL
    let narrate: Bool
    var interruption: DemoInterruption? = nil

    static let original = "Duty log, Monday. Four new referrals came in before noon."
    static let ashaSentence = " Two were screened with no qualified social worker on duty."
    static let benSentence = " The duty manager post is still vacant, so nobody signed them off."

    private let style = Style.stdout
    private let clock = ContinuousClock()

    private func say(_ line: String = "") { if narrate { print(line) } }
    private func step(_ number: Int, _ title: String) { say(); say(style.bold("\(number). \(title)")) }

    /// Runs the whole story and returns its summary for `--json`.
    func run() throws -> [String: Any] {
        let started = clock.now
        var timings: [String: Double] = [:]
        var syncs: [[String: Any]] = []
        func timed<T>(_ name: String, _ body: () throws -> T) throws -> T {
            try interruption?.check()
            let start = clock.now
            defer { timings[name] = ((Units.milliseconds(clock.now - start)) * 10).rounded() / 10 }
            return try body()
        }

        say(style.bold("fieldnote demo") + ": four devices on this machine, syncing over TLS 1.3 on 127.0.0.1")
        let evidence = DemoEvidence(now: Date())

        // 1. Devices and trust.
        step(1, "Four devices, each with its own store, key and trust list")
        let (asha, ben, cara, rosa) = try timed("devices") {
            (try DemoDevice("Asha", role: "social worker", in: root),
             try DemoDevice("Ben", role: "social worker", in: root),
             try DemoDevice("Cara", role: "social worker", in: root),
             try DemoDevice("Rosa", role: "union rep", in: root))
        }
        let devices = [asha, ben, cara, rosa]
        defer { for device in devices { device.close() } }
        for device in devices {
            say("   \(device.name.padding(5)) \(device.role.padding(14)) \(style.dim(device.id.description))")
        }
        try timed("trust") {
            try asha.trusts(ben, [.team, .evidence])
            try ben.trusts(asha, [.team, .evidence])
            try asha.trusts(rosa, [.evidence], asRep: true)
            try ben.trusts(rosa, [.evidence], asRep: true)
            try cara.trusts(rosa, [.evidence], asRep: true)
            try rosa.trusts(asha, [.evidence])
            try rosa.trusts(ben, [.evidence])
            try rosa.trusts(cara, [.evidence])
        }
        say("   Asha and Ben trust each other with team and evidence (read-write).")
        say("   Cara works in another team. Each worker grants Rosa evidence only, marked as their union rep (--rep);")
        say("   Rosa grants each of them evidence.")
        try timed("first_sync_rosa") {
            for worker in [asha, ben, cara] { _ = try rosa.serving { port in try worker.sync(port: port) } }
        }
        say("   Each worker syncs once with Rosa (nothing to exchange yet): their devices learn her key,")
        say("   which the evidence they share is sealed to.")

        // 2. Notes.
        step(2, "Notes written offline")
        let (shared, workload) = try timed("notes") { () throws -> (EntityID, [String: [EntityID]]) in
            let ashaCase = try asha.store.addCase(alias: "family on the Elm estate")
            var visit = DemoEvidence.ashaVisit.fields
            visit["week"] = .string(evidence.lastWeek)
            let visitNote = try asha.store.addNote(text: DemoEvidence.ashaVisit.text, caseToken: ashaCase, tags: ["caseload", "supervision"], fields: visit)
            let shared = try asha.store.addNote(text: DemoStory.original, tags: ["duty"])
            say("   Asha: a home visit (case \(ashaCase), caseload 31, supervision cancelled) and the duty log")
            let benCase = try ben.store.addCase(alias: "the twins")
            try ben.store.addNote(text: "Visit to the twins: school worried about attendance.", caseToken: benCase, tags: ["visit"])
            say("   Ben:  a visit note (case \(benCase))")
            var written: [String: [EntityID]] = ["Asha": [visitNote]]
            for device in [asha, ben, cara] {
                for note in DemoEvidence.notes[device.name] ?? [] {
                    written[device.name, default: []].append(try evidence.write(note, on: device.store))
                }
            }
            say("   Each worker also notes the week's workload: caseloads of 31, 27 and 29 children, hours on recording,")
            say("   supervision cancelled or not scheduled, and (Cara) referrals screened with no qualified social worker on duty;")
            say("   this week also the date of their last supervision, lunch breaks, hours taken back, and (as they choose)")
            say("   whether they intend to leave.")
            say("   " + style.dim("Case aliases (\"family on the Elm estate\") stay on the device; only tokens travel."))
            return (shared, written)
        }

        // 3. Suggestions and links.
        step(3, "Findings: Asha asks which published findings her home visit note bears out")
        let visitNote = workload["Asha"]![0]
        let suggestions = try timed("suggest") { () throws -> [Suggestion] in
            let note = try asha.store.note(visitNote)
            let suggested = SuggestionIndex(catalog: try asha.store.findingsCatalog()).suggest(for: note, limit: 3)
            // She links the best match, and the supervision finding she picks from
            // `findings list --category supervision`, as `link` does.
            if let best = suggested.first { try asha.store.link(note: visitNote, to: best.finding.id) }
            try asha.store.link(note: visitNote, to: DemoEvidence.supervision)
            return suggested
        }
        for (index, suggestion) in suggestions.enumerated() {
            say("   \(index + 1). \(suggestion.finding.id)  " + style.dim("matched: " + suggestion.matchedTerms.joined(separator: ", ")))
        }
        let visitLinks = try asha.store.note(visitNote).links.sorted()
        say("   Asha links her note to \(visitLinks.joined(separator: " and ")).")
        say("   The other workload notes are linked too (caseloads, supervision, recording, the front door).")

        // 4. First sync.
        step(4, "Ben serves; Asha syncs with him")
        let first = try timed("sync_asha_ben") { try ben.serving { port in
            say("   Ben: listening on 127.0.0.1:\(port)")
            return try asha.sync(port: port)
        } }
        syncs.append(["step": "asha_ben", "client": "Asha", "server": "Ben", "summary": first.json])
        say("   Asha \(first.line)")
        say("   Ben now holds \(try ben.notes(.team).count) team notes, Asha \(try asha.notes(.team).count).")

        // 5. Both edit the same note offline.
        step(5, "Both edit the duty log offline")
        try timed("edits") {
            let text = try asha.store.note(shared).text
            try asha.store.editText(note: shared, newText: text + DemoStory.ashaSentence)
            let benText = try ben.store.note(shared).text
            let cut = benText.range(of: "Monday.")!.upperBound
            try ben.store.editText(note: shared, newText: String(benText[..<cut]) + DemoStory.benSentence + String(benText[cut...]))
        }
        say("   Asha adds at the end:   \"\(DemoStory.ashaSentence.dropFirst())\"")
        say("   Ben adds after \"Monday.\": \"\(DemoStory.benSentence.dropFirst())\"")

        // 6. Sharing evidence.
        step(6, "Each worker shares the week's figures with the union, after seeing what leaves")
        var sharedCount = 0
        let preview = try timed("share") { () throws -> EvidencePreview? in
            var first: EvidencePreview?
            for device in [asha, ben, cara] {
                for note in workload[device.name] ?? [] {
                    let result = try evidence.share(note, on: device)
                    first = first ?? result.preview
                    sharedCount += 1
                }
            }
            return first
        }
        if let preview {
            say("   What Asha sees before she says yes to sharing her home visit note:")
            for line in preview.lines { say("     " + style.dim(line)) }
        }
        say("   \(sharedCount) records written to the evidence space: week, figures, categories, findings. No text, no case.")
        say("   Each is sealed to Rosa's key and written by a key of its own: Asha's device passes Ben's on unread.")

        // 7. Sync again: the merge.
        step(7, "Asha syncs with Ben again")
        let second = try timed("sync_merge") { try ben.serving { port in try asha.sync(port: port) } }
        syncs.append(["step": "merge", "client": "Asha", "server": "Ben", "summary": second.json])
        say("   Asha \(second.line)")
        let ashaText = try asha.store.note(shared).text
        let benText = try ben.store.note(shared).text
        guard ashaText == benText,
              ashaText.contains(DemoStory.ashaSentence.dropFirst()), ashaText.contains(DemoStory.benSentence.dropFirst()) else {
            throw CommandFailure("demo: the duty log did not merge as expected: Asha has \"\(ashaText)\", Ben has \"\(benText)\"")
        }
        say("   The merged duty log, the same on both devices, with both edits:")
        say("     \"\(ashaText)\"")

        // 8. The rep.
        step(8, "Asha serves; Rosa, the union rep, syncs with her, then with Ben and Cara")
        let third = try timed("sync_rosa_asha") { try asha.serving { port in try rosa.sync(port: port) } }
        syncs.append(["step": "rep_asha", "client": "Rosa", "server": "Asha", "summary": third.json])
        say("   Rosa \(third.line), spaces: \(third.spaces.map(\.name).joined(separator: ", "))")
        let fourth = try timed("sync_rosa_ben") { try ben.serving { port in try rosa.sync(port: port) } }
        syncs.append(["step": "rep_ben", "client": "Rosa", "server": "Ben", "summary": fourth.json])
        say("   Rosa syncs with Ben too: \(fourth.line)")
        say("   " + style.dim("(Ben's evidence had already reached her through Asha.)"))
        let fifth = try timed("sync_rosa_cara") { try cara.serving { port in try rosa.sync(port: port) } }
        syncs.append(["step": "rep_cara", "client": "Rosa", "server": "Cara", "summary": fifth.json])
        say("   Rosa syncs with Cara: \(fifth.line)")

        try interruption?.check()
        let rosaTeamNotes = try rosa.notes(.team).count
        let rosaTeamOps = try rosa.ops(.team)
        let rosaEvidence = try rosa.notes(.evidence)
        let rosaRecords = try rosa.evidenceRecords()
        guard rosaTeamNotes == 0, rosaTeamOps == 0 else {
            throw CommandFailure("demo: the rep's store holds \(rosaTeamNotes) team notes and \(rosaTeamOps) team ops; it should hold none")
        }
        guard devices.allSatisfy(\.isIntact) else { throw CommandFailure("demo: a store failed its integrity check") }

        // Who has what.
        step(9, "Who has what")
        var table = Table("DEVICE", "TEAM NOTES", "EVIDENCE", "READABLE", "TEAM OPS", "EVIDENCE OPS")
        var deviceSummaries: [[String: Any]] = []
        for device in devices {
            let team = try device.notes(.team).count, evidenceNotes = try device.notes(.evidence).count
            let records = try device.evidenceRecords(), readable = try device.readableEvidenceRecords()
            let teamOps = try device.ops(.team), evidenceOps = try device.ops(.evidence)
            table.add(device.name, String(team), String(records), String(readable), String(teamOps), String(evidenceOps))
            deviceSummaries.append([
                "name": device.name, "role": device.role, "device": device.id.description,
                "notes": ["team": team, "evidence": evidenceNotes], "evidence_records": records, "evidence_readable": readable,
                "ops": ["team": teamOps, "evidence": evidenceOps],
            ])
        }
        if narrate { print(table.render(style: style).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n")) }
        say("   EVIDENCE: records held; READABLE: those the device can open (each worker's own; all of them on Rosa's).")
        say("   Rosa (union rep) received \(rosaRecords) evidence records and no team note: 0 team notes, 0 team ops in her store.")

        // The report.
        step(10, "Rosa's report: `fieldnote report` on her device")
        let report = try timed("report") { try evidence.report(on: rosa) }
        if narrate {
            print(report.render(.markdown).split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "   " + $0 }.joined(separator: "\n"))
        }
        let primary = report.categories.filter { $0.suppressed && !$0.secondary }.map(\.key)
        let secondary = report.categories.filter(\.secondary).map(\.key)
        say("   Held back: \(primary.joined(separator: ", ")) (fewer than \(report.minReporters) people)"
            + (secondary.isEmpty ? "." : "; \(secondary.joined(separator: ", ")) too, or the total minus the rest would give the other away."))

        let total = Units.milliseconds(clock.now - started)
        timings["total"] = (total * 10).rounded() / 10
        say()
        say("Timings (each sync step starts a server, syncs and stops it): " + [("devices", "made devices"), ("sync_asha_ben", "first sync"), ("sync_merge", "merge sync"),
                           ("sync_rosa_asha", "rep sync"), ("report", "report")]
            .map { "\($0.1) \(String(format: "%.0f", timings[$0.0] ?? 0)) ms" }.joined(separator: ", ")
            + String(format: "; all in %.0f ms.", total))

        return [
            "devices": deviceSummaries,
            "syncs": syncs,
            "merged_text": ashaText,
            "edits": ["Asha": String(DemoStory.ashaSentence.dropFirst()), "Ben": String(DemoStory.benSentence.dropFirst())],
            "rep": ["name": rosa.name, "team_notes": rosaTeamNotes, "team_ops": rosaTeamOps, "evidence_notes": rosaEvidence.count,
                    "evidence_records": rosaRecords],
            "suggestions": suggestions.map { ["id": $0.finding.id, "matched_terms": $0.matchedTerms] as [String: Any] },
            "links": visitLinks,
            "report": (try? JSONSerialization.jsonObject(with: Data(report.render(.json).utf8))) ?? NSNull(),
            "timings_ms": timings,
        ]
    }
}
