import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import Transport

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Let trusted devices sync with this one, until stopped.",
        discussion: """
            Listens for TLS 1.3 connections from devices in `fieldnote peers list`; any other \
            device is refused in the handshake. Prints "listening on ADDR:PORT" on stdout once \
            ready, then on stderr what colleagues type to sync with this device (`fieldnote \
            sync ADDR:PORT`; after the first time, the name they gave it will do), and one \
            line per session. Ctrl-C (SIGINT) or SIGTERM stops it \
            cleanly: sessions in flight end at a batch boundary, and nothing is half applied.

            The default address is loopback only; to let colleagues on the office network \
            reach you, bind to 0.0.0.0 (every address) or to your address on it. serve prints \
            the addresses colleagues can type, never 0.0.0.0.

            Examples:
              fieldnote serve
              fieldnote serve --bind 0.0.0.0 --port 7420
              fieldnote serve --port 0          # any free port
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "addr"))
    var bind = "127.0.0.1"

    @Option(help: ArgumentHelp("The TCP port; 0 picks a free one.", valueName: "port"))
    var port: UInt16 = 7420

    @Flag(help: "Do not announce this device on the local network (trusted devices then need its address).")
    var noAnnounce = false

    func run() throws {
        // Blocked before any thread starts, so every thread inherits the mask and the two
        // signals are only ever taken by `sigwait` below.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        try storeOptions.withDevice { store, identity, trust in
            var logger = Logger(label: "fieldnote.serve") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = .warning
            let server = SyncServer(store: store, identity: identity, trust: trust, bind: bind, port: port,
                                    logger: logger, onSession: ServeCommand.report)
            let bound = try server.start()
            ServeCommand.announce(bind: bind, port: bound)
            Terminal.note("this device is \(identity.id)")
            if (try? trust.peers().isEmpty) == true {
                Terminal.note("no device is trusted yet: every connection will be refused (see `fieldnote peers add`)")
            }
            // Reachable from the network: say so there, in a form only devices that trust this
            // one recognise (Protocol.md 5), so `sync NAME` finds it without an address.
            let announcer = Announcer(reach: server.reach ?? .everywhere) { [id = identity.id] window in
                Announcement(kind: .device, window: window, tag: Announcement.deviceTag(id, window: window), port: bound)
            }
            if !noAnnounce && !LocalAddresses.isLoopback(bind) { announcer.start() }
            defer { announcer.stop() }
            fflush(nil)

            var received: Int32 = 0
            while sigwait(&signals, &received) != 0 {}
            Terminal.note("\(received == SIGINT ? "interrupted" : "terminated"): stopping")
            server.stop()
            Terminal.note("stopped")
        }
    }

    /// "listening on ADDR:PORT" on stdout, with an address colleagues can type (never 0.0.0.0),
    /// then on stderr the command they type, the other addresses, or how to be reachable when
    /// only loopback listens: the first lines are the ones read out across the office.
    static func announce(bind: String, port: UInt16) {
        let others = LocalAddresses.reachable(includeIPv6: bind.contains(":"))
        guard LocalAddresses.isWildcard(bind) else {
            let address = SyncParse.address(host: bind, port: port)
            print("listening on \(address)")
            guard LocalAddresses.isLoopback(bind) else { return tellColleagues(address) }
            Terminal.note("another store on this computer syncs with: fieldnote sync \(address)")
            let example = others.first.map { " (this computer is \($0) on its network)" } ?? ""
            Terminal.note("only this computer can connect; to let colleagues sync, use --bind 0.0.0.0\(example)")
            return
        }
        guard let first = others.first else {
            print("listening on 127.0.0.1:\(port)")
            Terminal.note("this computer has no network address besides loopback: colleagues cannot reach it yet")
            return
        }
        print("listening on \(first):\(port)")
        tellColleagues("\(first):\(port)")
        if others.count > 1 {
            Terminal.note("also reachable at " + others.dropFirst().map { "\($0):\(port)" }.joined(separator: ", "))
        }
    }

    /// The exact command, and that it is needed once: their `sync` remembers the address.
    private static func tellColleagues(_ address: String) {
        Terminal.note("colleagues sync with: fieldnote sync \(address) (after the first time, the name they gave this device will do)")
    }

    /// One line on stderr per session.
    @Sendable static func report(_ report: SessionReport) {
        let time = Dates.iso8601(Date())
        switch report.result {
        case .success(let summary) where summary.spaces.isEmpty:
            let grants = SyncCommand.grants(here: summary.offered, there: summary.peerOffered, peer: summary.peerName, peerIsClient: true)
            Terminal.note("\(time) nothing synced with \(summary.peerName) (\(summary.peer.short)) from \(report.address): no space in common — \(grants)")
        case .success(let summary):
            let spaces = summary.spaces.map(\.name).joined(separator: ",")
            // Ids only: a server's log is no place for the words of notes.
            let merged = summary.merged.isEmpty ? ""
                : "; merged concurrent changes in \(Units.plural(summary.merged.count, "note")): " + summary.merged.map(\.note.short).joined(separator: ", ")
            Terminal.note("\(time) synced with \(summary.peerName) (\(summary.peer.short)) from \(report.address) [\(spaces)]: \(summary.line)\(merged)")
        case .failure(let error):
            let who = report.peer.map { " (\($0.short))" } ?? ""
            Terminal.note("\(time) session from \(report.address)\(who) failed: \(CommandFailure.oneLine(error.description))")
        }
    }
}
