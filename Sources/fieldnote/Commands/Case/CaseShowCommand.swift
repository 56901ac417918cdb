import ArgumentParser
import Storage

struct CaseShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a case and its notes.",
        discussion: """
            Examples:
              fieldnote case show C-7K2Q-9XDM
              fieldnote case show "the Smiths" --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The case's token (any letter case) or alias.", valueName: "token"))
    var token: String

    @Option(help: ArgumentHelp("Show at most this many notes.", valueName: "n"))
    var limit: Int = 50

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        try storeOptions.withStore { store in
            let record = try store.requireCase(token)
            let notes = try store.notes(caseToken: record.token, limit: limit)
            if output.json {
                var object = JSONOutput.caseRecord(record)
                object["notes"] = notes.map(JSONOutput.note)
                try JSONOutput.print(object)
                return
            }
            let style = Style.stdout
            let alias = record.alias.map { " (\($0))" } ?? ""
            print(style.bold("case \(TerminalText.safe(record.token))") + TerminalText.safe(alias))
            print(style.dim("created \(Dates.human(record.created)), \(record.noteCount) note\(record.noteCount == 1 ? "" : "s")"))
            if !notes.isEmpty {
                print("")
                print(try NoteText.table(notes, in: store))
            }
        }
    }
}
