import ArgumentParser
import Findings

struct FindingsAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a published finding of your own; it syncs to colleagues in the team space.",
        discussion: """
            The quote must be the source's own words. The date is YYYY-MM-DD, YYYY-MM or YYYY; \
            the source is a URL or a full citation. The id is yours to choose: 3–80 of a-z 0-9 -, \
            starting with a letter, not used by another finding.

            Example:
              fieldnote findings add --id branch-2025-caseload-survey \\
                  --title "Branch survey: caseloads above 25 for most members" \\
                  --publisher "UNISON Example branch" \\
                  --authority "Example County Council" \\
                  --published 2025-03 --category caseload_workload \\
                  --quote "Two in three members carry more than 25 cases." \\
                  --source "https://example.org/branch-survey-2025"
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("A stable id, like branch-2025-caseload-survey.", valueName: "id"))
    var id: String
    @Option(help: ArgumentHelp("A short headline in plain words.", valueName: "text"))
    var title: String
    @Option(help: ArgumentHelp("Who published it.", valueName: "name"))
    var publisher: String
    @Option(help: ArgumentHelp("The council or body it is about (England for national reviews).", valueName: "name"))
    var authority: String
    @Option(help: ArgumentHelp("Publication date: YYYY-MM-DD, YYYY-MM or YYYY.", valueName: "date"))
    var published: String
    @Option(help: ArgumentHelp("The category (see `fieldnote findings --help`).", valueName: "category"))
    var category: FindingCategory
    @Option(help: ArgumentHelp("A short quote: the source's own words.", valueName: "text"))
    var quote: String
    @Option(help: ArgumentHelp("A URL or a full citation.", valueName: "source"))
    var source: String
    @Option(help: ArgumentHelp("What it says, in a sentence or two (not a quote).", valueName: "text"))
    var summary: String = ""
    @Option(name: .customLong("quoted-in"), help: ArgumentHelp("Where the quote's words were checked, if not in the source.", valueName: "source"))
    var quotedIn: String?
    @Option(name: .customLong("verified-in"), help: ArgumentHelp("Where you saw the quote's exact words, with its URL if it has one.", valueName: "source"))
    var verifiedIn: String?

    func run() throws {
        let finding = Finding(id: id, title: title, publisher: publisher, authority: authority, published: published,
                              category: category, quote: quote, summary: summary, source: source, quotedIn: quotedIn,
                              verifiedIn: verifiedIn)
        // Checked before the store is opened, so a refused finding never creates or touches one.
        try FindingsFailure.map { () throws(FindingsError) in try finding.validate() }
        try storeOptions.withStore { store in
            let catalog = try store.findingsCatalog()
            let added = try FindingsFailure.map { () throws(FindingsError) in try catalog.adding(finding) }
            let stored = added.userFindings.filter { catalog.finding($0.id) == nil }
            try FindingsFailure.map { () throws(FindingsError) in try store.findingsAdapter.addUserFindings(stored) }
            if output.json {
                try JSONOutput.print(FindingText.json(stored[0], origin: .user))
            } else {
                print(stored[0].id)
            }
        }
    }
}
