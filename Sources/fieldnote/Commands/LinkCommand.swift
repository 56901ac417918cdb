import ArgumentParser
import Findings
import Storage

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Link a note to a published finding it bears out.",
        discussion: """
            The finding must be in the catalog (see `fieldnote findings list`, or `fieldnote \
            suggest NOTE` for the likeliest ones). Links sync with the note; a link one device \
            adds while another removes it survives (add wins). Linking again changes nothing.

            Example:
              fieldnote link 7c2e91f4 ofsted-worcestershire-2017-caseloads
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @OptionGroup var pair: NoteFindingArguments

    func run() throws {
        try storeOptions.withStore { store in
            let record = try store.note(prefix: pair.note)
            let short = try store.shortID(record.id)
            if record.purged { throw CommandFailure("note \(short) was purged; it cannot be linked") }
            let catalog = try store.findingsCatalog()
            let target = try FindingsFailure.map { () throws(FindingsError) in try catalog.show(pair.finding) }
            try store.link(note: record.id, to: target.id)
            try LinkOutput.print(try store.note(record.id), short: short, catalog: catalog, json: output.json)
        }
    }
}

/// What `link` and `unlink` print: the note's links afterwards, with titles.
enum LinkOutput {
    static func print(_ note: NoteRecord, short: String, catalog: FindingsCatalog, json: Bool) throws {
        let links = note.links.sorted()
        if json {
            try JSONOutput.print(["id": note.id.hex, "links": links] as [String: Any])
            return
        }
        guard !links.isEmpty else {
            Swift.print("\(short): linked to no finding")
            return
        }
        Swift.print("\(short) is linked to:")
        for id in links { Swift.print(TerminalText.safe("  \(id)" + (catalog.finding(id).map { "  \($0.title)" } ?? ""))) }
    }
}
