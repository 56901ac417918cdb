import ArgumentParser
import Foundation
import Storage

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search notes' text, tags and field values, best match first.",
        discussion: """
            Matches are shown in a snippet, in bold on a terminal and in [brackets] otherwise. \
            Several words find notes holding all of them.

            Examples:
              fieldnote search supervision cancelled
              fieldnote search caseload --limit 5 --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The words to look for.", valueName: "query"))
    var query: [String]

    @Option(help: ArgumentHelp("Show at most this many matches (default: 20 as text, all with --json).", valueName: "n"))
    var limit: Int?

    @OptionGroup var pager: PagerOptions

    func validate() throws {
        guard !query.joined().allSatisfy(\.isWhitespace) else { throw ValidationError("give some words to search for") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// Marks around matches that no escaping touches, replaced by the style's own after the
    /// snippet (text from any device) has been made safe for the terminal.
    private static let marks = (open: "\u{E000}", close: "\u{E001}")

    /// Notes waiting for the index from which search says it is indexing them.
    static let noticeableBacklog = 10_000

    func run() throws {
        let style = output.json ? Style(enabled: false) : Style.stdout
        try storeOptions.withStore { store in
            // Search indexes what peers sent first; after a large sync that takes a moment, said
            // at a terminal so that the pause has a reason (about a second per 100,000 notes).
            if Terminal.isTerminal(STDERR_FILENO) {
                let waiting = try store.unindexedNotes()
                if waiting >= SearchCommand.noticeableBacklog {
                    Terminal.note("indexing \(Units.count(waiting)) notes received from peers…")
                    try store.updateSearchIndex()
                }
            }
            let marks = output.json ? style.highlight : SearchCommand.marks
            let hits = try store.search(query.joined(separator: " "), limit: limit ?? (output.json ? nil : 20), highlight: marks)
            if output.json {
                try JSONOutput.print(hits.map { hit in
                    ["id": hit.id.hex, "created": Dates.iso8601(hit.created), "rank": hit.rank, "snippet": hit.snippet] as [String: Any]
                })
                return
            }
            guard !hits.isEmpty else {
                Terminal.note("no matches")
                return
            }
            let ids = try store.shownIDs(of: hits.map(\.id))
            let width = Terminal.columns - 4
            let shown = hits.map { hit in
                var snippet = Text.truncated(TerminalText.safe(Text.oneLine(hit.snippet)), to: width)
                // A match cut in two still ends its mark, so the highlight does not run on.
                if snippet.count(where: { String($0) == marks.open }) > snippet.count(where: { String($0) == marks.close }) {
                    snippet += marks.close
                }
                snippet = snippet
                    .replacingOccurrences(of: marks.open, with: style.highlight.open)
                    .replacingOccurrences(of: marks.close, with: style.highlight.close)
                return style.bold(ids[hit.id] ?? hit.id.hex) + "  " + style.dim(Dates.human(hit.created)) + "\n    " + snippet
            }
            pager.start()
            print(shown.joined(separator: "\n"))
        }
    }
}
