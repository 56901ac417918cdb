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
    static let ashaSentence = " Two were screened by an agency worker in her first week."
    static let benSentence = " The duty manager was off sick, so nobody signed them off."

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

        say(style.bold("fieldnote demo") + ": three devices on this machine, syncing over TLS 1.3 on 127.0.0.1")

        // 1. Devices and trust.
        step(1, "Three devices, each with its own store, key and trust list")
        let (asha, ben, rosa) = try timed("devices") {
            (try DemoDevice("Asha", role: "social worker", in: root),
             try DemoDevice("Ben", role: "social worker", in: root),
             try DemoDevice("Rosa", role: "union rep", in: root))
        }
        let devices = [asha, ben, rosa]
        defer { for device in devices { device.close() } }
        for device in devices {
            say("   \(device.name.padding(5)) \(device.role.padding(14)) \(style.dim(device.id.description))")
        }
        try timed("trust") {
            try asha.trusts(ben, [.team, .evidence])
            try ben.trusts(asha, [.team, .evidence])
            try asha.trusts(rosa, [.evidence])
            try ben.trusts(rosa, [.evidence])
            try rosa.trusts(asha, [.evidence])
            try rosa.trusts(ben, [.evidence])
        }
        say("   Asha and Ben trust each other with team and evidence (read-write).")
        say("   Each grants Rosa evidence only; Rosa grants each of them evidence.")

        // 2. Notes.
        step(2, "Notes written offline")
        let shared = try timed("notes") { () throws -> EntityID in
            let ashaCase = try asha.store.addCase(alias: "family on the Elm estate")
            try asha.store.addNote(
                text: "Home visit. Caseload now 31 and supervision cancelled for the third week running.",
                caseToken: ashaCase, tags: ["caseload", "supervision"],
                fields: ["caseload": .int(31), "supervision": .string("cancelled")])
            try asha.store.addNote(
                text: "Week total: 9 hours on recording, 6 hours of direct work.", space: .evidence,
                tags: ["recording"], fields: ["caseload": .int(31), "hours_recording": .double(9), "hours_direct": .double(6)])
            let shared = try asha.store.addNote(text: DemoStory.original, tags: ["duty"])
            say("   Asha: a home visit (case \(ashaCase), caseload 31, supervision cancelled), the duty log,")
            say("         and an evidence record (caseload 31, 9 hours recording)")

            let benCase = try ben.store.addCase(alias: "the twins")
            try ben.store.addNote(
                text: "Strategy meeting moved twice; no manager free to sign off the plan.",
                caseToken: benCase, tags: ["supervision"],
                fields: ["caseload": .int(27), "supervision": .string("not_scheduled")])
            try ben.store.addNote(
                text: "Week total: 11 hours on recording; supervision not scheduled.", space: .evidence,
                tags: ["recording"], fields: ["caseload": .int(27), "hours_recording": .double(11), "supervision": .string("not_scheduled")])
            say("   Ben:  a strategy meeting note (case \(benCase), caseload 27, supervision not scheduled)")
            say("         and an evidence record (caseload 27, 11 hours recording)")
            say("   " + style.dim("Case aliases (\"family on the Elm estate\") stay on the device; only tokens travel."))
            return shared
        }

        // 3. First sync.
        step(3, "Ben serves; Asha syncs with him")
        let first = try timed("sync_asha_ben") { try ben.serving { port in
            say("   Ben: listening on 127.0.0.1:\(port)")
            return try asha.sync(port: port)
        } }
        syncs.append(["step": "asha_ben", "client": "Asha", "server": "Ben", "summary": first.json])
        say("   Asha \(first.line)")
        say("   Ben now holds \(try ben.notes(.team).count) team notes, Asha \(try asha.notes(.team).count).")

        // 4. Both edit the same note offline.
        step(4, "Both edit the duty log offline")
        try timed("edits") {
            let text = try asha.store.note(shared).text
            try asha.store.editText(note: shared, newText: text + DemoStory.ashaSentence)
            let benText = try ben.store.note(shared).text
            let cut = benText.range(of: "Monday.")!.upperBound
            try ben.store.editText(note: shared, newText: String(benText[..<cut]) + DemoStory.benSentence + String(benText[cut...]))
        }
        say("   Asha adds at the end:   \"\(DemoStory.ashaSentence.dropFirst())\"")
        say("   Ben adds after \"Monday.\": \"\(DemoStory.benSentence.dropFirst())\"")

        // 5. Sync again: the merge.
        step(5, "Asha syncs with Ben again")
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

        // 6. The rep.
        step(6, "Asha serves; Rosa, the union rep, syncs with her")
        let third = try timed("sync_rosa_asha") { try asha.serving { port in try rosa.sync(port: port) } }
        syncs.append(["step": "rep_asha", "client": "Rosa", "server": "Asha", "summary": third.json])
        say("   Rosa \(third.line), spaces: \(third.spaces.map(\.name).joined(separator: ", "))")
        let fourth = try timed("sync_rosa_ben") { try ben.serving { port in try rosa.sync(port: port) } }
        syncs.append(["step": "rep_ben", "client": "Rosa", "server": "Ben", "summary": fourth.json])
        say("   Rosa syncs with Ben too: \(fourth.line)")
        say("   " + style.dim("(Ben's evidence had already reached her through Asha.)"))

        try interruption?.check()
        let rosaTeamNotes = try rosa.notes(.team).count
        let rosaTeamOps = try rosa.ops(.team)
        let rosaEvidence = try rosa.notes(.evidence)
        guard rosaTeamNotes == 0, rosaTeamOps == 0 else {
            throw CommandFailure("demo: the rep's store holds \(rosaTeamNotes) team notes and \(rosaTeamOps) team ops; it should hold none")
        }
        guard devices.allSatisfy(\.isIntact) else { throw CommandFailure("demo: a store failed its integrity check") }

        // Who has what.
        step(7, "Who has what")
        var table = Table("DEVICE", "TEAM NOTES", "EVIDENCE NOTES", "TEAM OPS", "EVIDENCE OPS")
        var deviceSummaries: [[String: Any]] = []
        for device in devices {
            let team = try device.notes(.team).count, evidence = try device.notes(.evidence).count
            let teamOps = try device.ops(.team), evidenceOps = try device.ops(.evidence)
            table.add(device.name, String(team), String(evidence), String(teamOps), String(evidenceOps))
            deviceSummaries.append([
                "name": device.name, "role": device.role, "device": device.id.description,
                "notes": ["team": team, "evidence": evidence], "ops": ["team": teamOps, "evidence": evidenceOps],
            ])
        }
        if narrate { print(table.render(style: style).split(separator: "\n").map { "   " + $0 }.joined(separator: "\n")) }
        say("   Rosa (union rep) received \(rosaEvidence.count) evidence records and no team note: 0 team notes, 0 team ops in her store.")

        let total = Units.milliseconds(clock.now - started)
        timings["total"] = (total * 10).rounded() / 10
        say()
        say("Timings (each sync step starts a server, syncs and stops it): " + [("devices", "made devices"), ("sync_asha_ben", "first sync"), ("sync_merge", "merge sync"),
                           ("sync_rosa_asha", "rep sync")]
            .map { "\($0.1) \(String(format: "%.0f", timings[$0.0] ?? 0)) ms" }.joined(separator: ", ")
            + String(format: "; all in %.0f ms.", total))

        return [
            "devices": deviceSummaries,
            "syncs": syncs,
            "merged_text": ashaText,
            "edits": ["Asha": String(DemoStory.ashaSentence.dropFirst()), "Ben": String(DemoStory.benSentence.dropFirst())],
            "rep": ["name": rosa.name, "team_notes": rosaTeamNotes, "team_ops": rosaTeamOps, "evidence_notes": rosaEvidence.count],
            "timings_ms": timings,
        ]
    }
}
