import ArgumentParser
import Foundation
import Findings
import Storage
import SyncCore

struct ShareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Share a note's workload figures as an anonymous evidence record, after showing exactly what leaves.",
        discussion: """
            Writes a record to the evidence space, which syncs to every device granted it (a \
            union rep's, say). The record holds the ISO week (not the date), the metric fields \
            (caseload, hours, supervision…), the categories and ids of the findings the note is \
            linked to, and nothing else: no case token, no alias, no text, no tags. With \
            --excerpt it also holds that text, which you write for sharing; an excerpt naming the \
            case token or the case's alias is refused, however written (any case, look-alike \
            letters, invisible characters, "Smiths" for "the Smiths"). An excerpt that looks like \
            it holds a name, a date, an address, a postcode or a phone number is shown with those \
            parts marked and needs --yes-excerpt (or a second yes at the terminal), even with --yes.

            The record is sealed so that only union reps' devices (marked with `peers add … \
            --rep`, and synced with once) and your own devices can read it; colleagues' devices \
            pass it on unread. It carries no id of this device or of you: it is written by a key \
            of its own, stamped with the week it was shared, and signed by a key of yours for its \
            month alone, so a report counts you once a month and cannot link your months. \
            Sharing a note again replaces the record it shared before (withdrawn from every \
            device); `evidence list` shows what you shared, `unshare` withdraws a record.

            Shows the record and asks y/N (reading the answer from stdin); --yes skips the question.

            Examples:
              fieldnote share 7c2e91f4
              fieldnote share 7c2e91f4 --yes \\
                  --excerpt "Third cancelled supervision this month."
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "note"))
    var note: String

    @Option(help: ArgumentHelp("A short text to share with the figures (at most 280 characters, no names or case tokens).", valueName: "text"))
    var excerpt: String?

    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Share without asking.")
    var yes = false

    @Flag(help: "Share an excerpt that looks like it holds a name, a date, an address, a postcode or a phone number, as it is.")
    var yesExcerpt = false

    func run() throws {
        try storeOptions.withStore { store in
            let record = try store.note(prefix: note)
            let short = try store.shortID(record.id)
            let catalog = try store.findingsCatalog()
            let alias = try record.caseToken.flatMap { try store.caseAliases()[$0] }
            let evidence = try FindingsFailure.map { () throws(FindingsError) in
                try Evidence.record(from: record, catalog: catalog, excerpt: excerpt, alias: alias)
            }
            let reps = try EvidenceContext.open(store, sharing: false).sealingReps()
            let preview = Evidence.preview(evidence, sealedFor: reps.map(\.name), catalog: catalog)
            // The preview is for the person; with --json, stdout is kept for the result.
            if output.json { Terminal.note(TerminalText.safe(preview.text, multiline: true)) } else { print(TerminalText.safe(preview.text, multiline: true)) }
            try confirmExcerpt(evidence.excerpt, note: short)
            if !yes {
                guard Terminal.confirm("Share this record from note \(short)?") else {
                    throw CommandFailure("nothing was shared from note \(short)")
                }
            }
            // Only now, with the input checked and the person's yes: the secret may be made here.
            let context = try EvidenceContext.open(store, sharing: true)
            let earlier = try store.evidenceShared(from: record.id)
            let id = try FindingsFailure.map { () throws(FindingsError) in try context.adapter.addEvidence(evidence) }
            guard let recordID = EntityID(hex: id) else { throw CommandFailure("internal: the new evidence record's id \(id) is not an id") }
            try store.noteShared(recordID, from: record.id)
            // Sharing a note again replaces what it shared before, on every device.
            try context.withdraw(earlier)
            let shown = try store.shortID(recordID)
            let replaced = try earlier.map { try store.shortID($0) }
            if output.json {
                var object = FindingText.json(evidence, id: shown)
                object["replaced"] = replaced
                try JSONOutput.print(object)
            } else {
                let replacing = replaced.isEmpty ? "" : "; withdrew what it shared before (\(replaced.joined(separator: ", ")))"
                print("shared note \(short) as evidence record \(shown) (week \(evidence.week))\(replacing)")
            }
        }
    }
}

extension ShareCommand {
    /// An excerpt that looks like it names someone needs its own yes: `--yes-excerpt`, or a
    /// second answer at the terminal, even with `--yes`; it is shown with those parts marked.
    func confirmExcerpt(_ excerpt: String?, note short: String) throws {
        guard let excerpt else { return }
        let flags = ExcerptScreening.flags(excerpt)
        guard !flags.isEmpty, !yesExcerpt else { return }
        let style = Style.stderr
        var marked = TerminalText.safe(excerpt)
        for flag in Set(flags.map(\.text)) {
            let safe = TerminalText.safe(flag)
            marked = marked.replacingOccurrences(of: safe, with: style.bold(style.yellow("[" + safe + "]")))
        }
        var kinds: [String] = []
        for flag in flags where !kinds.contains(flag.kind) { kinds.append(flag.kind) }
        let what = kinds.joined(separator: ", ")
        Terminal.note("the excerpt looks like it holds \(what): \(marked)")
        if Terminal.isTerminal(0), Terminal.confirm("Share the excerpt as it is, with \(what)?") { return }
        throw CommandFailure("nothing was shared from note \(short): the excerpt looks like it holds \(what)",
                             hint: "rewrite the excerpt without them, or pass --yes-excerpt if they identify no one", status: .invalidValue)
    }
}
