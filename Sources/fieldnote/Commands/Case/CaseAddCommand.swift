import ArgumentParser
import Storage

struct CaseAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Make a new case and print its token.",
        discussion: """
            The alias stays on this device and never syncs; colleagues see only the token.

            Example:
              fieldnote case add --alias "the Smiths"
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("A private name for the case, kept on this device only.", valueName: "alias"))
    var alias: String?

    func run() throws {
        try storeOptions.withStore { store in
            if let alias, let existing = try store.findCase(alias) {
                throw CommandFailure("the alias \"\(alias)\" already names \(existing.token)", status: .invalidValue)
            }
            let token = try store.addCase(alias: alias)
            if output.json {
                try JSONOutput.print(JSONOutput.caseRecord(try store.requireCase(token)))
            } else {
                print(token)
            }
        }
    }
}
