import ArgumentParser
import Storage

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one note in full.",
        discussion: """
            Any unique prefix of the id will do. Notes in the bin and purged notes show their state.

            Examples:
              fieldnote show 0193ab12
              fieldnote show 0193 --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note's id, or a unique prefix of it.", valueName: "id"))
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
