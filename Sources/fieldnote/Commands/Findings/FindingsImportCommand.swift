import ArgumentParser
import Findings
import Foundation

struct FindingsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add findings from a JSON or CSV file: all of them, or none if any row is bad.",
        discussion: """
            JSON: an array of objects with the keys id, title, publisher, authority, published, \
            category, quote, source, and optionally summary, quoted_in and verified_in. CSV: a header row \
            naming the same columns, in any order, then one finding per row (RFC 4180 quoting). \
            The format comes from the file name (.json, .csv), else from the content. Every bad \
            row is reported with its line number, and then nothing is imported.

            Examples:
              fieldnote findings import branch-findings.csv
              fieldnote findings import findings.json --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("The file to import.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The file's format, when its name does not say (json or csv).", valueName: "format"))
    var format: FindingsImport.Format?

    func run() throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure("no file \(file) to import", status: .notFound)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CommandFailure("cannot read \(file): \((error as NSError).localizedDescription)")
        }
        let format = self.format ?? FindingsImport.Format(fileName: file) ?? FindingsImport.Format(sniffing: data)
        // Rows are checked against the built-in ids first, without the store; then against the
        // store's findings too, before anything is written.
        _ = try Self.parse(data, format: format, existingIDs: FindingsCatalog.builtInIDs)
        try storeOptions.withStore { store in
            let catalog = try store.findingsCatalog()
            let findings = try Self.parse(data, format: format, existingIDs: Set(catalog.findings.map(\.id)))
            try FindingsFailure.map { () throws(FindingsError) in
                _ = try catalog.adding(findings)
                try store.findingsAdapter.addUserFindings(findings)
            }
            if output.json {
                try JSONOutput.print(findings.map { FindingText.json($0, origin: .user) })
            } else {
                print("imported \(findings.count) finding\(findings.count == 1 ? "" : "s"): " + findings.map(\.id).joined(separator: ", "))
            }
        }
    }
}

extension FindingsImportCommand {
    static func parse(_ data: Data, format: FindingsImport.Format, existingIDs: Set<String>) throws -> [Finding] {
        do {
            return try FindingsImport.parse(data: data, format: format, existingIDs: existingIDs)
        } catch {
            throw FindingsFailure.failure(error)
        }
    }
}

extension FindingsImport.Format: ExpressibleByArgument {}
