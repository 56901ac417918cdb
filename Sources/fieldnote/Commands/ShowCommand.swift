import ArgumentParser
import Storage

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one note in full.",
        discussion: """
            The id is the one `add`, `list` or `search` printed, or the full 32-digit id; a \
            shorter prefix will do while only one note has it. Notes in the bin and purged notes \
            show their state.

            Examples:
              fieldnote show 7c2e91f4
              fieldnote show 7c2e --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    @OptionGroup var pager: PagerOptions

    func run() throws {
        try storeOptions.withStore { store in
            let note = try store.note(prefix: id)
            let marks = try store.mergeMarks(note.id)
            let names = try ReplicaNames(store: store)
            if output.json {
                var object = JSONOutput.note(note)
                // Only on merged notes: the keys of every other note stay as they were.
                if !marks.isEmpty { object["merged"] = marks.map { Self.json($0, names: names) } }
                try JSONOutput.print(object)
            } else {
                let alias = try note.caseToken.flatMap { try store.caseAliases()[$0] }
                let shortID = try store.shortID(note.id)
                pager.start()
                print(NoteText.detail(note, shortID: shortID, alias: alias))
                if let last = marks.last {
                    let style = Style.stdout
                    let when = Dates.human(last.mergedAt)
                    print("")
                    print(style.dim("merged".padding(8)) + " " + style.yellow(TerminalText.safe(
                        "the \(last.subjects) was merged from concurrent edits by \(names.list(last.authors)) (sync of \(when))")))
                    print(style.dim("".padding(8)) + " " + "see both versions: fieldnote history \(shortID) --text")
                }
            }
        }
    }

    static func json(_ mark: MergeMark, names: ReplicaNames) -> [String: Any] {
        [
            "time": Dates.iso8601(mark.mergedAt),
            "text": mark.text,
            "fields": mark.fields,
            "edited_by": mark.authors.map(names.json),
        ]
    }
}
