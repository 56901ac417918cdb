import ArgumentParser
import Storage

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show who changed a note, what and when, oldest first.",
        discussion: """
            Each change names the device that made it: "this device" for yours, a trusted device \
            by its name in `fieldnote peers list`, any other by its store's short hex id.

            With --text, the note's text after each change instead. Where a sync merged edits \
            made on two devices at once, it shows the text each side had before the merge, and \
            the merged text, so you can check the merge reads as meant.

            Examples:
              fieldnote history 7c2e91f4
              fieldnote history 7c2e91f4 --text
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    @Flag(help: "Show the text after each change, and each side's text where concurrent edits were merged.")
    var text = false

    @OptionGroup var pager: PagerOptions

    func run() throws {
        try storeOptions.withStore { store in
            let noteID = try store.noteID(prefix: id)
            let names = try ReplicaNames(store: store)
            if text {
                let entries = try store.textHistory(noteID)
                if output.json {
                    try JSONOutput.print(entries.map { TextHistoryOutput.json($0, names: names) })
                } else {
                    let shown = TextHistoryOutput.text(entries, names: names, style: .stdout)
                    pager.start()
                    print(shown)
                }
                return
            }
            let entries = try store.history(noteID)
            if output.json {
                try JSONOutput.print(entries.map { entry in
                    [
                        "time": Dates.iso8601(entry.timestamp),
                        "replica": entry.replica.hex,
                        "by": names.name(entry.replica),
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
                table.add(Dates.human(entry.timestamp), TerminalText.safe(names.name(entry.replica)), TerminalText.safe(entry.summary))
            }
            let shown = table.render(style: style)
            pager.start()
            print(shown)
        }
    }
}
