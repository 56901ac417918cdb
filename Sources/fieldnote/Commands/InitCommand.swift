import ArgumentParser
import Storage

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the store, or name it; safe to run again.",
        discussion: """
            Other commands create the store when they first need it; init does only that, and can \
            give the store a name of your choosing (kept on this device).

            Example:
              fieldnote init --name "work laptop"
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("A name for this store, shown by status (local only).", valueName: "name"))
    var name: String?

    func validate() throws {
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--name cannot be empty")
        }
    }

    func run() throws {
        try storeOptions.withStore { store in
            let trimmed = name?.trimmingCharacters(in: .whitespaces)
            if let trimmed, try store.name() != trimmed { try store.setName(trimmed) }
            let label = try store.name().map { " (\($0))" } ?? ""
            print("store\(label) at \(store.location.directory.path), replica \(store.replica)")
        }
    }
}
