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

    func run() throws {
        try storeOptions.withStore { store in
            let note = try store.note(prefix: id)
            if output.json {
                try JSONOutput.print(JSONOutput.note(note))
            } else {
                let alias = try note.caseToken.flatMap { try store.caseAliases()[$0] }
                print(NoteText.detail(note, shortID: try store.shortID(note.id), alias: alias))
            }
        }
    }
}
