import ArgumentParser
import Findings
import Foundation
import Storage
import SyncCore

struct EvidenceListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the evidence records this device shared (--received: every one it holds).",
        discussion: """
            One block per record, oldest first: its id (for `unshare`), the week it is about \
            (with the Monday it starts), its figures, categories, findings and excerpt. Without \
            --received: the records of yours this device can read (shared here, or from another \
            device of yours). With it: every record sealed to this device (a rep's) or yours; \
            records sealed for other reps are passed on unread, and only counted.

            Examples:
              fieldnote evidence list
              fieldnote evidence list --received --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Every record this device holds, from anyone (what a rep received), not only those shared here.")
    var received = false

    func run() throws {
        try storeOptions.withEvidence { context in
            let store = context.store
            let (entries, refused, unreadable) = try FindingsFailure.map { () throws(FindingsError) in
                try context.adapter.evidenceEntries(sharedHere: !received)
            }
            let shown = try store.shownIDs(of: entries.map(\.id))
            // Shared by an earlier fieldnote, unsealed and under this device's id: say so.
            let unsealed = try store.ownUnsealedEvidence()
            if !unsealed.isEmpty {
                let ids = try unsealed.map { try store.shortID($0) }.joined(separator: ", ")
                Terminal.note("\(unsealed.count) record\(unsealed.count == 1 ? " was" : "s were") shared by an earlier fieldnote, unsealed and naming this device (\(ids)); `fieldnote unshare ID` withdraws each")
            }
            if output.json {
                try JSONOutput.print(entries.map { FindingText.json($0.record, id: shown[$0.id] ?? $0.id.short) })
                if received && unreadable > 0 { Terminal.note(Self.sealedNote(unreadable)) }
                return
            }
            guard !entries.isEmpty else {
                if received && unreadable > 0 {
                    print("no evidence records this device can read; \(unreadable) sealed for reps \(unreadable == 1 ? "is" : "are") passed on unread")
                    return
                }
                print(received ? "no evidence records here" : "no evidence records shared from this device; `fieldnote share NOTE` shares one")
                return
            }
            let style = Style.stdout
            var blocks: [String] = []
            for (id, record) in entries {
                var lines = ["\(style.bold(shown[id] ?? id.short))  \(EvidenceListCommand.week(record.week))"]
                lines.append("  figures:    \(EvidenceListCommand.figures(record.metrics))")
                if !record.categories.isEmpty { lines.append("  categories: " + record.categories.map(\.rawValue).joined(separator: ", ")) }
                if !record.findings.isEmpty { lines.append("  findings:   " + record.findings.map { TerminalText.safe($0) }.joined(separator: ", ")) }
                if let excerpt = record.excerpt { lines.append("  excerpt:    “\(TerminalText.safe(excerpt))”") }
                blocks.append(lines.joined(separator: "\n"))
            }
            print(blocks.joined(separator: "\n\n"))
            if refused > 0 { Terminal.note("\(refused) record\(refused == 1 ? "" : "s") left out: holding values no device writes, or not sealed") }
            if received && unreadable > 0 { Terminal.note(Self.sealedNote(unreadable)) }
        }
    }

    static func sealedNote(_ unreadable: Int) -> String {
        "\(unreadable) more record\(unreadable == 1 ? " is" : "s are") sealed for other reps: this device passes \(unreadable == 1 ? "it" : "them") on unread"
    }

    /// `2026-W49 (w/c 30 Nov 2026)`.
    static func week(_ week: ISOWeek) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy"
        return "\(week) (w/c \(formatter.string(from: week.monday)))"
    }

    /// `caseload 31, worked 45 h, paid 37 h, supervision cancelled`.
    static func figures(_ metrics: EvidenceMetrics) -> String {
        var parts: [String] = []
        if let caseload = metrics.caseload { parts.append("caseload \(caseload)") }
        if let worked = metrics.hoursWorked { parts.append("worked \(Self.number(worked)) h") }
        if let paid = metrics.hoursPaid { parts.append("paid \(Self.number(paid)) h") }
        if let recording = metrics.hoursRecording { parts.append("recording \(Self.number(recording)) h") }
        if let direct = metrics.hoursDirect { parts.append("direct \(Self.number(direct)) h") }
        if let supervision = metrics.supervision { parts.append("supervision \(supervision.rawValue.replacingOccurrences(of: "_", with: " "))") }
        if let minutes = metrics.supervisionMinutes { parts.append("supervision \(minutes) min") }
        if let unallocated = metrics.unallocatedCases { parts.append("unallocated \(unallocated)") }
        return parts.isEmpty ? "–" : parts.joined(separator: ", ")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.1f", value)
    }
}
