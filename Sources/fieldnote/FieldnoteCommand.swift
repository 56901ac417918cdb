import ArgumentParser
import Foundation

@main
struct FieldnoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldnote",
        abstract: "Field notes for social work, kept on your device and synced directly with trusted colleagues.",
        discussion: """
            Notes live in a store on this device: --store DIR (before or after the command \
            name), else $FIELDNOTE_HOME, else ~/.fieldnote. The first command that needs the \
            store creates it. Long output goes through $PAGER (less) at a terminal; --no-pager \
            (before or after the command name) turns it off. Notes are shown by \
            a short id: 8 hex digits from the random part of the full id, more only when a \
            note already here shares them. A shown id names the same note for good, whatever \
            is added or synced later; the full 32-digit id is accepted too.

            Start with:
              fieldnote case add --alias "the Smiths"
              fieldnote add "Supervision cancelled again" --case "the Smiths" \\
                  --field caseload=31 --tag supervision
              fieldnote list
              fieldnote search supervision
              fieldnote demo                  # four devices syncing over TLS, and a report

            Findings and evidence: `findings list` shows published findings; `suggest NOTE` \
            and `link NOTE FINDING` tie a note to them; `share NOTE` sends its figures, \
            anonymised, to the evidence space; a union rep runs `report`.

            Syncing: `fieldnote pair` on one device shows a code, `fieldnote pair CODE` on the \
            other trusts it (or `peers add` each other's `fieldnote id`); then one runs \
            `serve --bind 0.0.0.0` and the other `sync NAME`: found on the local network, else at \
            the address where it was last reached (`sync HOST:PORT` the first time, off the network).

            Shell completion: `fieldnote --generate-completion-script bash` (or zsh, fish); see \
            the README for where to put it, and for the manual page.

            Exit status:
              0  success
              1  general failure: store cannot be opened, editor failed, purge refused
              2  usage: the command line could not be parsed
              3  not found: no such note, case or finding, or an ambiguous id prefix
              4  invalid value: a field, tag, space name, device id, empty text, a finding,
                 an import file, an excerpt or a report parameter
              5  unreachable (sync): nothing listens there, or the connection broke
              6  refused (sync): a device is not trusted, on either side
              7  timed out (sync): the peer did not answer in time
              8  protocol (sync): different protocol versions, or a malformed message
              9  no space in common (sync): no space is granted by both devices
              128+N  signal N came while the editor was open (130: SIGINT, 143: SIGTERM);
                 nothing was saved

            Errors go to stderr: a line starting with "error:" says what happened, and a \
            line starting with "hint:" what to do next. A refused command leaves the store \
            unchanged.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self,
            AddCommand.self,
            ListCommand.self,
            ShowCommand.self,
            EditCommand.self,
            SearchCommand.self,
            TagCommand.self,
            HistoryCommand.self,
            RemoveCommand.self,
            RestoreCommand.self,
            PurgeCommand.self,
        ],
        groupedSubcommands: [
            CommandGroup(name: "Cases, fields and spaces", subcommands: [
                CaseCommand.self, FieldsCommand.self, SpacesCommand.self,
            ]),
            CommandGroup(name: "Findings and evidence", subcommands: [
                FindingsCommand.self, LinkCommand.self, UnlinkCommand.self, SuggestCommand.self, ShareCommand.self,
                EvidenceCommand.self, UnshareCommand.self, ReportCommand.self,
            ]),
            CommandGroup(name: "Syncing", subcommands: [
                IDCommand.self, PairCommand.self, PeersCommand.self, ServeCommand.self, SyncCommand.self, StatusCommand.self,
                DemoCommand.self,
            ]),
        ]
    )

    /// Parses, runs, and turns failures into at most two lines on stderr and a distinct exit status.
    static func main() {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(LeadingOptions.apply(to: Array(CommandLine.arguments.dropFirst())))
        } catch {
            exitReporting(error)
        }
        do {
            var command = command
            try command.run()
            Pager.finish()
        } catch let error as ExitCode {
            Pager.finish()
            Foundation.exit(error.rawValue)
        } catch {
            exitReporting(error)
        }
    }

    /// Our own failures as `error: what happened` and, when there is one, `hint: what to do next`;
    /// anything else as ArgumentParser reports it.
    private static func exitReporting(_ error: any Error) -> Never {
        Pager.finish()
        guard let failure = CommandFailure.from(error) else { exitForParsing(error) }
        let style = Style.stderr
        Terminal.note(style.red("error:") + " " + failure.message)
        if let hint = failure.hint { Terminal.note(style.dim("hint:") + " " + hint) }
        Foundation.exit(failure.status.rawValue)
    }

    /// ArgumentParser's own report (help, version, usage errors), with usage errors exiting 2.
    private static func exitForParsing(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .validationFailure {
            // Two lines, as every error: what was wrong, and where the command's help is.
            let style = Style.stderr
            var what = message(for: error).split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
                ?? "the command line could not be read"
            if what.hasPrefix("Error: ") { what.removeFirst(7) }
            // A date option's own forms, which ArgumentParser cannot know.
            if what.contains("<date>'") { what += ": use \(DateArgument.forms)" }
            let help = fullMessage(for: error).split(separator: "\n").last { $0.contains("--help") }
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "See ", with: "see ") } ?? "see 'fieldnote --help'"
            Terminal.note(style.red("error:") + " " + what)
            Terminal.note(style.dim("hint:") + " " + help)
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        exit(withError: error)
    }
}
