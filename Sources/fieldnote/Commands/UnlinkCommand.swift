import ArgumentParser
import Findings
import Storage

struct UnlinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlink",
        abstract: "Remove a note's link to a finding.",
        discussion: """
            Removes the link as this device has seen it; a link a colleague adds at the same time \
            survives (add wins). A finding the note is not linked to, and that no catalog on this \
            device knows, is refused.

            Example:
              fieldnote unlink 7c2e91f4 ofsted-worcestershire-2017-caseloads
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var pair: NoteFindingArguments

    func run() throws {
        try storeOptions.withStore { store in
            let record = try store.note(prefix: pair.note)
            let short = try store.shortID(record.id)
            let catalog = try store.findingsCatalog()
            // A link to a finding this device does not know (one a colleague added, not yet
            // synced) can still be removed; anything else must name a known finding.
            var id = pair.finding.lowercased()
            if !record.links.contains(id) {
                id = try FindingsFailure.map { () throws(FindingsError) in try catalog.show(pair.finding) }.id
            }
            if record.links.contains(id) {
                try store.unlink(note: record.id, from: id)
            } else {
                Terminal.note("\(short) was not linked to \(id)")
            }
            try LinkOutput.print(try store.note(record.id), short: short, catalog: catalog, json: output.json)
        }
    }
}
