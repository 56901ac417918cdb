import ArgumentParser
import Storage

struct CaseListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List cases, oldest first, with their aliases and note counts.",
        discussion: """
            Example:
              fieldnote case list --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try storeOptions.withStore { store in
            let cases = try store.cases()
            if output.json {
                try JSONOutput.print(cases.map(JSONOutput.caseRecord))
                return
            }
            guard !cases.isEmpty else {
                Terminal.note("no cases yet: make one with `fieldnote case add`")
                return
            }
            let style = Style.stdout
            var table = Table("TOKEN", "NOTES", "CREATED", "ALIAS")
            table.styles = [0: style.bold, 2: style.dim]
            for record in cases {
                table.add(record.token, String(record.noteCount), Dates.human(record.created), record.alias ?? "-")
            }
            print(table.render(style: style))
        }
    }
}
