import ArgumentParser
import Storage

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show who changed a note, what and when, oldest first.",
        discussion: """
            Each change names the device store (replica) that made it; "this device" is yours.

            Example:
              fieldnote history 7c2e91f4
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    func run() throws {
        try storeOptions.withStore { store in
            let noteID = try store.noteID(prefix: id)
            let entries = try store.history(noteID)
            if output.json {
                try JSONOutput.print(entries.map { entry in
                    [
                        "time": Dates.iso8601(entry.timestamp),
                        "replica": entry.replica.hex,
                        "local": entry.isLocal,
                        "space": entry.op.space.name,
                        "seq": entry.op.seq,
                        "change": entry.summary,
                    ] as [String: Any]
                })
                return
            }
            let style = Style.stdout
            var table = Table("WHEN", "BY", "CHANGE")
            table.styles = [0: style.dim]
            for entry in entries {
                table.add(Dates.human(entry.timestamp), entry.isLocal ? "this device" : entry.replica.description, entry.summary)
            }
            print(table.render(style: style))
        }
    }
}
