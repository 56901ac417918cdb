import ArgumentParser
import Findings

struct FindingsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one finding in full, with its quote and source.",
        discussion: """
            Examples:
              fieldnote findings show ofsted-worcestershire-2017-caseloads
              fieldnote findings show munro-2011-bureaucracy-heart-of-work-lost --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The finding's id (see `fieldnote findings list`).", valueName: "id"))
    var id: String

    func run() throws {
        try storeOptions.withStore { store in
            let catalog = try store.findingsCatalog()
            let finding = try FindingsFailure.map { () throws(FindingsError) in try catalog.show(id) }
            if output.json {
                try JSONOutput.print(FindingText.json(finding, origin: catalog.origin(of: finding.id)))
            } else {
                print(FindingText.detail(finding, origin: catalog.origin(of: finding.id)))
            }
        }
    }
}
