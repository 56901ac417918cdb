import ArgumentParser
import Storage
import SyncCore

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Write a new note and print its id.",
        discussion: """
            The text comes from the argument; with "-", from stdin; without one, an editor opens \
            on this terminal: $VISUAL, else $EDITOR, else vi. Save and quit to keep the note \
            (vim: :wq); leave it empty, or quit with an error (vim: :cq), to abandon it. Lines \
            starting with "#" are help and are left out (another character is used when the note \
            has lines starting with "#"; the help says which). With stdin not a terminal, the \
            editor runs only if $VISUAL or $EDITOR names one (a script, `code --wait`).

            Fields are checked against the known keys (see `fieldnote fields`); a case must exist \
            (see `fieldnote case add`) and may be named by its token or its alias.

            Examples:
              fieldnote add "Caseload 31 today, supervision cancelled" \\
                  --field caseload=31 --field supervision=cancelled --tag supervision
              fieldnote add --case C-7K2Q-9XDM            # opens the editor
              EDITOR=nano fieldnote add --tag visit
              pbpaste | fieldnote add - --tag visit
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note's text; \"-\" reads stdin; omit it to write in $VISUAL or $EDITOR.", valueName: "text"))
    var text: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Attach the note to this case (token or alias).", valueName: "token"))
    var caseToken: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("A tag; repeat, or separate with commas, for more.", valueName: "tag"))
    var tags: [String] = []

    @Option(name: .customLong("field"), help: ArgumentHelp("A known field, KEY=VALUE (e.g. caseload=31); repeat for more.", valueName: "key=value"))
    var fields: [String] = []

    @Option(help: ArgumentHelp("The space to write in: team, evidence, or one made with `spaces add`.", valueName: "space"))
    var space: String = SpaceID.team.name

    func run() throws {
        // Everything that needs no store is checked first, so a typo never creates or touches one.
        var values: [String: FieldValue] = [:]
        for assignment in fields {
            let (key, value) = try FieldCatalog.parse(assignment)
            values[key] = value
        }
        let space = try SpaceID(space)
        let argumentText = try text.map { $0 == "-" ? TextInput.readStandardInput() : $0 }.map { try TextInput.requireText($0) }
        if text == nil { try Editor.requireUsable(instead: #"give the text: fieldnote add "TEXT", or fieldnote add - to read it from stdin"#) }

        try storeOptions.withStore(knowing: [space]) { store in
            let token = try caseToken.map { try store.requireCase($0).token }
            let body = try argumentText ?? TextInput.requireText(Editor.edit("", purpose: .newNote))
            let tagList = tags.flatMap { $0.split(separator: ",").map(String.init) }
            let id = try store.addNote(text: body, space: space, caseToken: token, tags: tagList, fields: values)
            if output.json {
                try JSONOutput.print(JSONOutput.note(try store.note(id)))
            } else {
                print(try store.shortID(id))
            }
        }
    }
}
