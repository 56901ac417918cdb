import ArgumentParser
import Storage

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a note's text.",
        discussion: """
            Without --text the note opens in $EDITOR. Only what changed is recorded (as small \
            insertions and deletions), so a colleague's words added elsewhere in the note while you \
            were offline are kept when you sync.

            Examples:
              fieldnote edit 7c2e91f4
              fieldnote edit 7c2e91f4 --text "Caseload 32 today"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("The new text, instead of opening $EDITOR; \"-\" reads stdin.", valueName: "text"))
    var text: String?

    func run() throws {
        let given = try text.map { $0 == "-" ? TextInput.readStandardInput() : $0 }.map { try TextInput.requireText($0) }
        try storeOptions.withStore { store in
            let note = try store.note(prefix: id)
            let short = try store.shortID(note.id)
            if note.purged { throw CommandFailure("note \(short) was purged; its text is gone") }
            let newText = try given ?? TextInput.requireText(Editor.edit(note.text))
            if newText == note.text || (given == nil && newText == TextInput.trimmingTrailingNewlines(note.text)) {
                print("no change")
                return
            }
            try store.editText(note: note.id, newText: newText)
            print("edited \(short)")
        }
    }
}
