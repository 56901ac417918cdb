import ArgumentParser
import Storage

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Move a note to the bin.",
        discussion: """
            The note leaves listings and search, but its content is kept and the removal syncs to \
            colleagues. `fieldnote list --bin` lists the bin and `fieldnote restore` takes a note \
            back out. To erase a note's content everywhere, use `fieldnote purge`.

            Example:
              fieldnote rm 7c2e91f4
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    func run() throws {
        try storeOptions.withStore { store in
            let note = try store.note(prefix: id)
            let short = try store.shortID(note.id)
            if note.purged { throw CommandFailure("note \(short) was purged already") }
            if note.deleted {
                print("\(short) is already in the bin")
                return
            }
            try store.delete(note: note.id)
            print("moved \(short) to the bin (`fieldnote restore \(short)` takes it back)")
        }
    }
}
