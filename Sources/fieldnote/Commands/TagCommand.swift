import ArgumentParser
import Storage

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add and remove a note's tags.",
        discussion: """
            +TAG adds a tag and -TAG removes one; a bare TAG adds it too. Adding a tag the note \
            has, or removing one it lacks, changes nothing. Prints the note's tags afterwards.

            Examples:
              fieldnote tag 7c2e91f4 +supervision +overtime -draft
              fieldnote tag 7c2e91f4 -- -h          # after --, a tag named "h" is removed
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    // Words starting with "-" are removals, not options: collect everything ArgumentParser does not know.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Tag changes: +TAG to add, -TAG to remove.", valueName: "+tag|-tag"))
    var changes: [String] = []

    /// The changes, without the `--` that lets a change like `-h` through as a tag rather than help.
    var allChanges: [String] {
        guard let terminator = changes.firstIndex(of: "--") else { return changes }
        var all = changes
        all.remove(at: terminator)
        return all
    }

    func validate() throws {
        guard !allChanges.isEmpty else {
            throw ValidationError("give at least one change: +TAG to add, -TAG to remove")
        }
        for change in allChanges where change == "+" || change == "-" || change.hasPrefix("--") {
            throw ValidationError("\"\(change)\" is not a tag change: use +TAG to add and -TAG to remove")
        }
    }

    func run() throws {
        var added: [String] = [], removed: [String] = []
        for change in allChanges {
            if change.hasPrefix("-") { removed.append(String(change.dropFirst())) }
            else if change.hasPrefix("+") { added.append(String(change.dropFirst())) }
            else { added.append(change) }
        }
        try storeOptions.withStore { store in
            let note = try store.note(prefix: id)
            let short = try store.shortID(note.id)
            if note.purged { throw CommandFailure("note \(short) was purged; it cannot be tagged") }
            try store.tag(note: note.id, add: added, remove: removed)
            let tags = try store.note(note.id).tags.sorted()
            if output.json {
                try JSONOutput.print(["id": note.id.hex, "tags": tags] as [String: Any])
            } else {
                print(tags.isEmpty ? "\(short): no tags" : "\(short): " + TerminalText.safe(tags.joined(separator: ", ")))
            }
        }
    }
}
