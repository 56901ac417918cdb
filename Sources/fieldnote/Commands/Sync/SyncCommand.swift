import ArgumentParser
import Foundation
import SyncCore
import Transport

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync with a trusted device that runs `fieldnote serve`.",
        discussion: """
            Both directions in one session: each side gets the changes it lacks, in every space \
            both devices grant each other (or only those given with --space); a space only one \
            side grants is listed as skipped, with the side that does not. Notes edited on \
            both sides are merged, nothing is lost. An interrupted sync leaves both stores \
            consistent, and the next one carries on where it stopped.

            Exit status 5 (unreachable), 6 (refused: not trusted on one side), 7 (timed out), \
            8 (protocol mismatch) or 9 (no space in common: nothing was exchanged, and the error \
            says what each device grants the other) says what went wrong; see `fieldnote --help`.

            Examples:
              fieldnote sync 10.0.0.7:7420
              fieldnote sync 127.0.0.1:7420 --space evidence --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("Where the other device serves: HOST:PORT (port 7420 if left out).", valueName: "host:port"))
    var address: String

    @Option(name: .customLong("space"), help: ArgumentHelp("Sync only this space; repeat for more.", valueName: "space"))
    var spaces: [String] = []

    @Flag(help: "Report progress on stderr, one line per batch, even when stderr is not a terminal.")
    var progress = false

    func run() throws {
        let (host, port) = try SyncParse.endpoint(address)
        let only = try SyncParse.spaces(spaces)
        let terminal = Terminal.isTerminal(STDERR_FILENO)
        let reporter = ProgressReporter(mode: progress ? .lines : (terminal ? .overwrite : .off))
        var onProgress: (@Sendable (SyncProgress) -> Void)? = nil
        if reporter.isOn { onProgress = { @Sendable progress in reporter.report(progress) } }

        try storeOptions.withDevice(knowing: only) { store, identity, trust in
            if try trust.peers().isEmpty {
                throw CommandFailure("this device trusts no other device yet",
                                     hint: "add the other with `fieldnote peers add ITS-ID --name NAME`; it adds this one: \(identity.id)",
                                     status: .refused)
            }
            let summary: SyncSummary
            let requested: Set<SpaceID>? = only.isEmpty ? nil : Set(only)
            do throws(TransportError) {
                summary = try SyncClient.sync(store: store, identity: identity, trust: trust, host: host, port: port,
                                              spaces: requested, progress: onProgress)
            } catch {
                reporter.finish()
                throw SyncCommand.explain(error, address: "\(host):\(port)", identity: identity)
            }
            reporter.finish()
            if summary.spaces.isEmpty {
                let grantedHere = try trust.peer(summary.peer)?.sortedSpaces.map(\.space) ?? summary.offered
                throw SyncCommand.nothingInCommon(summary, address: "\(host):\(port)", grantedHere: grantedHere, asked: only)
            }
            let merged = try MergedNotes(summary, store: store)
            if output.json {
                var object = summary.json
                object["address"] = "\(host):\(port)"
                object["merged"] = merged.json
                object["skipped"] = SyncCommand.skipped(summary, asked: only).map { $0.0.name }
                try JSONOutput.print(object)
            } else {
                let style = Style.stdout
                print("synced with " + style.bold(summary.peerName) + " (\(summary.peer.short)) at \(host):\(port) in \(Units.time(summary.duration))")
                print(style.dim("  spaces    ") + summary.spaces.map(\.name).joined(separator: ", "))
                for (space, reason) in SyncCommand.skipped(summary, asked: only) {
                    print(style.dim("  skipped   ") + "\(space.name): \(reason)")
                }
                print(style.dim("  sent      ") + "\(Units.plural(summary.sent.ops, "op")) (\(Units.bytes(summary.sent.bytes)))")
                print(style.dim("  received  ") + "\(Units.plural(summary.received.ops, "op")) (\(Units.bytes(summary.received.bytes))), \(summary.received.applied) new")
                for line in merged.lines(style: style) { print(line) }
                for line in summary.faultyLines(style: style) { print(line) }
            }
        }
    }

    /// A session that exchanged nothing is a failure: the worker must not believe her notes
    /// reached the peer. Says what each side grants, which is what has to change.
    static func nothingInCommon(_ summary: SyncSummary, address: String, grantedHere: [SpaceID], asked: [SpaceID]) -> CommandFailure {
        let grants = grants(here: grantedHere, there: summary.peerOffered, peer: summary.peerName)
        let narrowed = asked.isEmpty ? "" : " (this sync asked only for \(names(asked.sorted())))"
        return CommandFailure(
            "nothing synced with \(summary.peerName) at \(address): no space in common — \(grants)\(narrowed)",
            hint: "a space syncs only when both devices grant it: see `fieldnote peers list` on both, and `fieldnote peers add` to grant one",
            status: .noCommonSpace)
    }

    /// Spaces this sync meant to carry but did not, each with the side that does not grant it:
    /// a note written there has not reached the peer, however well the rest went.
    static func skipped(_ summary: SyncSummary, asked: [SpaceID]) -> [(SpaceID, String)] {
        (asked.isEmpty ? summary.offered : asked.sorted()).filter { !summary.spaces.contains($0) }.map { space in
            summary.offered.contains(space)
                ? (space, "\(summary.peerName) does not grant it to this device")
                : (space, "this device does not grant it to \(summary.peerName)")
        }
    }

    /// `this device grants Ben team, evidence; Ben grants this device nothing`: why a session
    /// exchanged nothing, said the same way by `sync` and by `serve`. The server says "offered":
    /// a client's HELLO lists only the spaces its `sync --space` asked for.
    static func grants(here: [SpaceID], there: [SpaceID], peer: String, peerIsClient: Bool = false) -> String {
        let theirs = peerIsClient ? "offered" : "grants this device"
        return "this device grants \(peer) \(names(here)); \(peer) \(theirs) \(names(there))"
    }

    static func names(_ spaces: [SpaceID]) -> String {
        spaces.isEmpty ? "nothing" : spaces.map(\.name).joined(separator: ", ")
    }

    /// The transport's error in words for people: what happened, and what to do next.
    static func explain(_ error: TransportError, address: String, identity: DeviceIdentity) -> CommandFailure {
        let status = CommandFailure.from(error)?.status ?? .general
        let (what, next): (String, String?) = switch error.code {
        case .handshakeFailed:
            ("the device at \(address) refused this one: it has not added this device, or has removed it",
             "on that device run: fieldnote peers add \(identity.id) --name YOUR-NAME")
        case .notTrusted:
            ("the device at \(address) is not one this device trusts",
             "add it with `fieldnote peers add ITS-ID --name NAME` (its id: `fieldnote id` there)")
        case .unreachable, .connectionLost:
            ("cannot reach \(address): \(error.message)",
             "is `fieldnote serve` running there? It prints the addresses colleagues can use")
        case .timedOut: ("\(address) did not answer in time", "the network may be slow or blocked; try again")
        case .versionMismatch: ("\(address) speaks another version of the sync protocol: \(error.message)",
                                "update fieldnote on the older device")
        case .spaceNotGranted, .readOnly: ("\(address) refused: \(error.message)", "compare `fieldnote peers list` on both devices")
        case .clockSkew: ("\(address) refused: \(error.message)", "check the date and time on both devices")
        case .busy: ("the device at \(address) is busy: \(error.message)", "try again in a moment")
        default: ("cannot sync with \(address): \(error.fromPeer ? "the other device said: " : "")\(error.message)", nil)
        }
        return CommandFailure(what, hint: next, status: status)
    }
}

/// Progress on stderr: one line rewritten in place on a terminal, or one line per batch.
final class ProgressReporter: @unchecked Sendable {
    enum Mode { case off, overwrite, lines }
    let mode: Mode
    private let lock = NSLock()
    private var sent = (ops: 0, bytes: 0)
    private var received = (ops: 0, bytes: 0)
    private var drawn = false

    init(mode: Mode) { self.mode = mode }

    var isOn: Bool { mode != .off }

    /// Called on the syncing thread after every batch.
    func report(_ progress: SyncProgress) {
        lock.lock()
        defer { lock.unlock() }
        switch progress.direction {
        case .sending: sent = (progress.ops, progress.bytes)
        case .receiving: received = (progress.ops, progress.bytes)
        }
        let line = "\(progress.direction.rawValue) \(progress.space.name): sent \(sent.ops) ops (\(Units.bytes(sent.bytes))), received \(received.ops) ops (\(Units.bytes(received.bytes)))"
        switch mode {
        case .off: return
        case .lines: FileHandle.standardError.write(Data((line + "\n").utf8))
        case .overwrite:
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            drawn = true
        }
    }

    /// Ends the line drawn in place, if any.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
