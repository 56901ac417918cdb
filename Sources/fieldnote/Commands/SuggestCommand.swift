import ArgumentParser
import Findings
import Storage

struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Suggest the findings a note bears out, best match first, with the words that matched.",
        discussion: """
            Ranks the catalog by relevance (BM25) to the note's text, tags and fields, against \
            each finding's title, quote, summary and category. Findings the note is already \
            linked to are left out. Link one with `fieldnote link NOTE FINDING`.

            Examples:
              fieldnote suggest 7c2e91f4
              fieldnote suggest 7c2e91f4 --limit 3 --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "note"))
    var note: String

    @Option(help: ArgumentHelp("Show at most this many findings.", valueName: "n"))
    var limit: Int = 5

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        try storeOptions.withStore { store in
            let record = try store.note(prefix: note)
            let catalog = try store.findingsCatalog()
            let suggestions = SuggestionIndex(catalog: catalog).suggest(for: record, excluding: Set(record.links), limit: limit)
            if output.json {
                try JSONOutput.print(suggestions.enumerated().map { FindingText.json($1, rank: $0 + 1) })
                return
            }
            let short = try store.shortID(record.id)
            guard !suggestions.isEmpty else {
                Terminal.note("no finding matches the words of note \(short)")
                return
            }
            let style = Style.stdout
            for (index, suggestion) in suggestions.enumerated() {
                print("\(index + 1). " + style.bold(TerminalText.safe(suggestion.finding.id)) + style.dim("  \(suggestion.finding.category.rawValue)"))
                print("   \(TerminalText.safe(suggestion.finding.title))")
                print("   " + style.dim("matched: " + suggestion.matchedTerms.joined(separator: ", ")))
            }
            print(style.dim("link one: fieldnote link \(short) \(suggestions[0].finding.id)"))
        }
    }
}
