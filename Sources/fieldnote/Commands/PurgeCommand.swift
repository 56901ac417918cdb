import ArgumentParser
import Storage

struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Erase a note's content for good, here and on every device it syncs to.",
        discussion: """
            The text, fields, tags, links and case of the note are erased from this store, and the \
            erasure travels with the next sync so that no copy survives on a colleague's device. \
            Only the id remains. This cannot be undone. Notes in the bin can be purged too \
            (`fieldnote list --bin` shows their ids). Asks first on a terminal; without a \
            terminal, pass --yes.

            Examples:
              fieldnote purge 7c2e91f4
              fieldnote purge 7c2e91f4 --yes
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Do not ask for confirmation.")
    var yes = false

    func run() throws {
        try storeOptions.withNote(id) { store, note, short in
            if note.purged {
                print("\(short) was purged already")
                return
            }
            if !yes {
                guard Terminal.isTerminal(0) else {
                    throw CommandFailure("not purging \(short) without confirmation: stdin is not a terminal, so pass --yes")
                }
                let preview = Text.truncated(Text.firstLine(note.text), to: 50)
                let binned = note.deleted ? ", in the bin," : ""
                guard Terminal.confirm("Erase note \(short) (\"\(preview)\")\(binned) on every device? This cannot be undone.") else {
                    throw CommandFailure("\(short) was not purged")
                }
            }
            try store.purge(note: note.id)
            print("purged \(short)")
        }
    }
}
