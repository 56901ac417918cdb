import ArgumentParser
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

    @Option(help: ArgumentHelp("Show at most this many matches.", valueName: "n"))
    var limit: Int = 20

    func validate() throws {
        guard !query.joined().allSatisfy(\.isWhitespace) else { throw ValidationError("give some words to search for") }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let style = output.json ? Style(enabled: false) : Style.stdout
        try storeOptions.withStore { store in
            let hits = try store.search(query.joined(separator: " "), limit: limit, highlight: style.highlight)
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
            let shown = try store.shownIDs(of: hits.map(\.id))
            for hit in hits {
                print(style.bold(shown[hit.id] ?? hit.id.hex) + "  " + style.dim(Dates.human(hit.created)))
                print("    " + Text.oneLine(hit.snippet))
            }
        }
    }
}
