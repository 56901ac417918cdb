import ArgumentParser
import Foundation
import Storage

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List notes, newest first.",
        discussion: """
            Notes in the bin (see `fieldnote rm`) are left out; --bin lists only them, the most \
            recently binned first (`fieldnote restore` takes one back out). Filters combine. \
            Dates may be written as fieldnote prints them: 2026-05-01, 2026-05-01 10:22, \
            2026-W18, or ISO 8601; --until includes the whole day, minute or week it names. At a \
            terminal the newest 50 are shown, through $PAGER; --json gives every match unless \
            --limit is given.

            Examples:
              fieldnote list --case "the Smiths" --since 2026-01-01
              fieldnote list --since "2026-05-01 10:22" --until 2026-W19
              fieldnote list --tag supervision --json
              fieldnote list --bin
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only notes in this space.", valueName: "space"))
    var space: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Only notes on this case (token or alias).", valueName: "token"))
    var caseToken: String?

    @Option(help: ArgumentHelp("Only notes with this tag.", valueName: "tag"))
    var tag: String?

    @Option(help: ArgumentHelp("Only notes written from this date on (\(DateArgument.forms)).", valueName: "date"))
    var since: DateArgument?

    @Option(help: ArgumentHelp("Only notes written up to this date, included.", valueName: "date"))
    var until: DateArgument?

    @Option(help: ArgumentHelp("Show at most this many notes (default: 50 as text, all with --json).", valueName: "n"))
    var limit: Int?

    @OptionGroup var pager: PagerOptions

    @Flag(help: "List the notes in the bin instead (with --space and --limit only).")
    var bin = false

    func validate() throws {
        if bin, caseToken != nil || tag != nil || since != nil || until != nil {
            throw ValidationError("--bin lists the bin by space only: leave out --case, --tag, --since and --until")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// How many notes to show: what was asked, else all for scripts and 50 for people.
    var effectiveLimit: Int? { limit ?? (output.json ? nil : ListCommand.textLimit) }
    static let textLimit = 50

    func run() throws {
        let space = try Parse.space(space)
        try storeOptions.withStore(knowing: space.map { [$0] } ?? []) { store in
            let token = try caseToken.map { try store.requireCase($0).token }
            // One more than shown, to know whether to say that there are more.
            let fetch = effectiveLimit.map { $0 + 1 }
            var notes = bin
                ? try store.binnedNotes(space: space, limit: fetch)
                : try store.notes(space: space, caseToken: token, tag: tag, since: since?.start, until: until?.end, limit: fetch)
            let more = effectiveLimit.map { notes.count > $0 } ?? false
            if more { notes.removeLast() }
            if output.json {
                try JSONOutput.print(notes.map(JSONOutput.note))
            } else if notes.isEmpty {
                Terminal.note(bin ? "the bin is empty" : "no notes")
            } else {
                let table = try NoteText.table(notes, in: store)
                pager.start()
                print(table)
                if more, limit == nil {
                    // On stdout at a terminal, so that it ends what the pager shows; else on stderr.
                    let hint = "the newest \(notes.count) are shown: --limit N for more, or narrow with --since, --tag, --case"
                    if Terminal.isTerminal(STDOUT_FILENO) { print(Style.stdout.dim(hint)) } else { Terminal.note(hint) }
                }
            }
        }
    }
}
