import ArgumentParser
import Storage

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a note's text.",
        discussion: """
            Without --text the note opens in an editor on this terminal: $VISUAL, else $EDITOR, \
            else vi. Save and quit to keep the change (vim: :wq); quit with an error (vim: :cq) \
            to keep the note as it was. Lines starting with "#" are help and are left out \
            (another character is used when the note has lines starting with "#"; the help says \
            which). With stdin not a terminal, the editor runs only if $VISUAL or $EDITOR names \
            one; otherwise give --text.

            Only what changed is recorded (as small \
            insertions and deletions), so a colleague's words added elsewhere in the note while you \
            were offline are kept when you sync.

            Examples:
              fieldnote edit 7c2e91f4
              fieldnote edit 7c2e91f4 --text "Caseload 32 today"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("The new text, instead of opening the editor; \"-\" reads stdin.", valueName: "text"))
    var text: String?

    func run() throws {
        let given = try text.map { $0 == "-" ? TextInput.readStandardInput() : $0 }.map { try TextInput.requireText($0) }
        if text == nil { try Editor.requireUsable(instead: #"give the text: fieldnote edit \#(id) --text "TEXT", or --text - to read it from stdin"#) }
        try storeOptions.withStore { store in
            let note = try store.note(prefix: id)
            let short = try store.shortID(note.id)
            if note.purged { throw CommandFailure("note \(short) was purged; its text is gone") }
            let newText = try given ?? TextInput.requireText(Editor.edit(note.text, purpose: .existingNote(short)))
            if newText == note.text || (given == nil && newText == TextInput.trimmingTrailingNewlines(note.text)) {
                print("no change")
                return
            }
            try store.editText(note: note.id, newText: newText)
            print("edited \(short)")
        }
    }
}
