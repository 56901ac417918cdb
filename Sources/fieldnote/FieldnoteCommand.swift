import ArgumentParser
import Foundation

@main
struct FieldnoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldnote",
        abstract: "Field notes for social work, kept on your device and synced directly with trusted colleagues.",
        discussion: """
            Notes live in a store on this device: --store DIR, else $FIELDNOTE_HOME, else \
            ~/.fieldnote. The first command that needs the store creates it. Notes are shown by \
            a short id: 8 hex digits, more when notes written close together share them. Any \
            unique prefix of an id is accepted.

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

            Syncing: `fieldnote id` on each device, `peers add` the other's id, then one runs \
            `serve` and the other `sync HOST:PORT`.

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
              128+N  signal N came while the editor was open (130: SIGINT, 143: SIGTERM);
                 nothing was saved

            Errors are one line on stderr starting with "error:"; a refused command \
            leaves the store unchanged.
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
            RemoveCommand.self,
            PurgeCommand.self,
            CaseCommand.self,
            FieldsCommand.self,
            HistoryCommand.self,
            FindingsCommand.self,
            LinkCommand.self,
            UnlinkCommand.self,
            SuggestCommand.self,
            ShareCommand.self,
            ReportCommand.self,
            StatusCommand.self,
            IDCommand.self,
            PeersCommand.self,
            ServeCommand.self,
            SyncCommand.self,
            DemoCommand.self,
        ]
    )

    /// Parses, runs, and turns failures into one line on stderr and a distinct exit status.
    static func main() {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParsing(error)
        }
        do {
            var command = command
            try command.run()
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            if let failure = CommandFailure.from(error) {
                Terminal.note(Style.stderr.red("error:") + " " + failure.message)
                Foundation.exit(failure.status.rawValue)
            }
            exitForParsing(error)
        }
    }

    /// ArgumentParser's own report (help, version, usage errors), with usage errors exiting 2.
    private static func exitForParsing(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .validationFailure {
            Terminal.note(fullMessage(for: error))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        exit(withError: error)
    }
}
