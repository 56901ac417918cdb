import ArgumentParser
import Foundation
import SyncCore
import Transport

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync with trusted devices that run `fieldnote serve`: one by name or address, or all.",
        discussion: """
            Both directions in one session: each side gets the changes it lacks, in every space \
            both devices grant each other (or only those given with --space); a space only one \
            side grants is listed as skipped, with the side that does not. Notes edited on \
            both sides are merged, nothing is lost. An interrupted sync leaves both stores \
            consistent, and the next one carries on where it stopped. Before it exits, sync adds \
            the notes it received to the search index (about a second per 100,000 notes), so \
            the next search answers at once.

            The first time, give the address the other device's `serve` prints: HOST:PORT \
            (port 7420 if left out). A sync that succeeds remembers where it reached the peer \
            (`peers list` shows it), so after that its name (as `peers list` shows it, in any \
            case) or its device id will do: `sync Ben` goes to Ben's last address, and refuses any \
            other device it finds there. The argument is read as a peer first; a one-word \
            host name needs its port (office-pc:7420).

            With no argument, sync goes to every peer that has an address, one after the \
            other, one line each; a peer without one is listed as skipped. It exits 0 when \
            every peer it tried synced, else with the status of the first that did not (3 \
            when no peer has an address yet).

            Exit status 3 (the peer has no address yet), 4 (neither a peer nor an address), \
            5 (unreachable), 6 (refused: not trusted on one side, or another device is at the \
            peer's address), 7 (timed out), 8 (protocol mismatch) or 9 (no space in common: \
            nothing was exchanged, and the error says what each device grants the other) says \
            what went wrong; see `fieldnote --help`.

            Examples:
              fieldnote sync 10.0.0.7:7420      # the first time, as serve prints it
              fieldnote sync Ben                # after that, by name
              fieldnote sync                    # every peer with an address
              fieldnote sync Ben --space evidence --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp(
        "A trusted peer's name or device id, or where a device serves: HOST:PORT (port 7420 if left out). None: every peer with an address.",
        valueName: "peer-or-host:port"))
    var target: String?

    @Option(name: .customLong("space"), help: ArgumentHelp("Sync only this space; repeat for more.", valueName: "space"))
    var spaces: [String] = []

    @Flag(help: "Report progress on stderr, one line per batch, even when stderr is not a terminal.")
    var progress = false

    func validate() throws {
        if let target, target.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("the peer or address is empty: give a name, HOST:PORT, or nothing to sync with every peer")
        }
    }

    func run() throws {
        let only = try SyncParse.spaces(spaces)
        let reporter = ProgressReporter(linesAskedFor: progress)
        try storeOptions.withDevice(knowing: only) { store, identity, trust in
            let sessions = SyncSessions(store: store, identity: identity, trust: trust, asked: only, reporter: reporter)
            try sessions.requireAPeer()
            guard let target else {
                try SyncEveryPeer(sessions: sessions, json: output.json).run()
                return try sessions.indexReceived(announcing: !output.json)
            }
            let resolved = try SyncTarget.resolve(target, in: trust)
            var discovered: (host: String, port: UInt16)?
            if case .peer(let peer) = resolved { discovered = PeerDiscovery.find([peer])[peer.device] }
            let completed = try sessions.sync(resolved, discovered: discovered)
            if output.json {
                try JSONOutput.print(completed.json)
            } else {
                completed.lines(style: Style.stdout).forEach { print($0) }
            }
            try sessions.indexReceived(announcing: !output.json)
        }
    }
}
