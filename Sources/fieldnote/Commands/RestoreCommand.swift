import ArgumentParser
import Storage

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Take a note out of the bin.",
        discussion: """
            The note is back in listings and search, and the restore syncs to colleagues like \
            the removal did. `fieldnote list --bin` shows what is in the bin. A purged note's \
            content is gone and cannot be restored.

            Examples:
              fieldnote list --bin
              fieldnote restore 7c2e91f4
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The id of a note in the bin, or a unique prefix of it.", valueName: "id"))
    var id: String

    func run() throws {
        try storeOptions.withNote(id) { store, note, short in
            if note.purged { throw CommandFailure("note \(short) was purged: its content is erased and cannot be restored") }
            guard note.deleted else {
                print("\(short) is not in the bin")
                return
            }
            try store.restore(note: note.id)
            print("restored \(short) from the bin")
        }
    }
}

extension StoreOptions {
    /// Opens the store and runs `body` with the note an id prefix names (in the bin or purged
    /// ones included) and its short id, for the commands that act on one note.
    func withNote<T>(_ prefix: String, _ body: (Store, NoteRecord, String) throws -> T) throws -> T {
        try withStore { store in
            let note = try store.note(prefix: prefix)
            return try body(store, note, try store.shortID(note.id))
        }
    }
}
