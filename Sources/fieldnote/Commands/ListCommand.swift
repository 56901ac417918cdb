import ArgumentParser
import Foundation
import Storage

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List notes, newest first.",
        discussion: """
            Notes in the bin (see `fieldnote rm`) are left out; --bin lists only them, the most \
            recently binned first (`fieldnote restore` takes one back out). Filters combine.

            Examples:
              fieldnote list --case "the Smiths" --since 2026-01-01
              fieldnote list --tag supervision --limit 10 --json
              fieldnote list --bin
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("Only notes in this space.", valueName: "space"))
    var space: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("Only notes on this case (token or alias).", valueName: "token"))
    var caseToken: String?

    @Option(help: ArgumentHelp("Only notes with this tag.", valueName: "tag"))
    var tag: String?

    @Option(help: ArgumentHelp("Only notes written on or after this date (2026-01-31, or ISO 8601 with a time).", valueName: "date"))
    var since: DateArgument?

    @Option(help: ArgumentHelp("Show at most this many notes.", valueName: "n"))
    var limit: Int = 50

    @Flag(help: "List the notes in the bin instead (with --space and --limit only).")
    var bin = false

    func validate() throws {
        if bin, caseToken != nil || tag != nil || since != nil {
            throw ValidationError("--bin lists the bin by space only: leave out --case, --tag and --since")
        }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let space = try Parse.space(space)
        try storeOptions.withStore(knowing: space.map { [$0] } ?? []) { store in
            let token = try caseToken.map { try store.requireCase($0).token }
            let notes = bin
                ? try store.binnedNotes(space: space, limit: limit)
                : try store.notes(space: space, caseToken: token, tag: tag, since: since?.date, limit: limit)
            if output.json {
                try JSONOutput.print(notes.map(JSONOutput.note))
            } else if notes.isEmpty {
                Terminal.note(bin ? "the bin is empty" : "no notes")
            } else {
                print(try NoteText.table(notes, in: store))
            }
        }
    }
}

/// A date typed on the command line: a day (`2026-01-31`, local midnight) or an ISO 8601 date and time.
struct DateArgument: ExpressibleByArgument {
    var date: Date

    init?(argument: String) {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = .current
        day.dateFormat = "yyyy-MM-dd"
        if argument.count == 10, let date = day.date(from: argument) {
            self.date = date
            return
        }
        let full = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            full.formatOptions = options
            if let date = full.date(from: argument) {
                self.date = date
                return
            }
        }
        return nil
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
