import ArgumentParser
import Findings

struct FindingsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List findings, newest publication first.",
        discussion: """
            Built-in findings and those added on this or a colleague's device; yours are marked.

            Examples:
              fieldnote findings list
              fieldnote findings list --category supervision --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only findings of this category.", valueName: "category"))
    var category: FindingCategory?

    @OptionGroup var pager: PagerOptions

    func run() throws {
        try storeOptions.withStore { store in
            let catalog = try store.findingsCatalog()
            let findings = catalog.list(category: category)
            if output.json {
                try JSONOutput.print(findings.map { FindingText.json($0, origin: catalog.origin(of: $0.id)) })
            } else if findings.isEmpty {
                Terminal.note("no findings in \(category?.rawValue ?? "the catalog")")
            } else {
                let table = FindingText.table(findings, catalog: catalog)
                pager.start()
                print(table)
            }
        }
    }
}
