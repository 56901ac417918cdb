import ArgumentParser
import Foundation
import Transport

/// `sync` with no argument: every trusted peer that has a last address, one after the other,
/// as a worker back at the office catches up with everyone she works with.
///
/// One line a peer, printed as soon as its session ends: a success on stdout; a failure on
/// stderr as `error:` naming the peer and why, and its `hint:`, as any failed sync; a peer with
/// no address yet on stdout as skipped. With --json, the same as an array on stdout. The exit
/// status is 0 when every peer tried synced, else that of the first failure, so a script
/// hears an unreachable colleague as it would from `sync NAME`. A skipped peer does not change
/// it, unless no peer at all could be tried (exit 3).
struct SyncEveryPeer {
    let sessions: SyncSessions
    let json: Bool

    enum Outcome {
        case synced(CompletedSync)
        case failed(Peer, address: String, CommandFailure)
        case skipped(Peer, why: String)
    }

    func run() throws {
        var outcomes: [Outcome] = []
        let peers = try sessions.trust.peers()
        let discovered = PeerDiscovery.find(peers)
        for peer in peers {
            let outcome = try sync(peer, discovered: discovered[peer.device])
            if !json { show(outcome) }
            outcomes.append(outcome)
        }
        if json { try JSONOutput.print(outcomes.map(\.json)) }
        if !outcomes.contains(where: \.wasTried) {
            throw CommandFailure("no trusted peer has an address to sync with yet",
                                 hint: "sync once with each by the address its `fieldnote serve` prints: fieldnote sync HOST:PORT; after that, `fieldnote sync` goes to them all",
                                 status: .notFound)
        }
        for case .failed(_, _, let failure) in outcomes { throw ExitCode(failure.status.rawValue) }
    }

    /// One peer's session; a failure of the session is its outcome, not the end of the run.
    private func sync(_ peer: Peer, discovered: (host: String, port: UInt16)?) throws -> Outcome {
        guard let address = discovered.map({ SyncParse.address(host: $0.host, port: $0.port) }) ?? peer.lastAddress else {
            return .skipped(peer, why: "not found on this network, and no address yet (sync once with the address its `fieldnote serve` prints)")
        }
        do {
            return .synced(try sessions.sync(.peer(peer), discovered: discovered))
        } catch {
            guard let failure = CommandFailure.from(error) else { throw error }
            SyncEveryPeer.report(failure)
            return .failed(peer, address: address, failure)
        }
    }

    private func show(_ outcome: Outcome) {
        let style = Style.stdout
        switch outcome {
        case .synced(let completed): completed.summaryLine(style: style).forEach { print($0) }
        case .failed: break  // reported on stderr as it happened
        case .skipped(let peer, let why): print(style.bold(peer.name) + ": skipped, " + why)
        }
    }

    /// `error:` and `hint:` on stderr, after whatever stdout holds so far, so that the lines
    /// keep their order when both go to one terminal or file.
    private static func report(_ failure: CommandFailure) {
        fflush(nil)
        let style = Style.stderr
        Terminal.note(style.red("error:") + " " + failure.message)
        if let hint = failure.hint { Terminal.note(style.dim("hint:") + " " + hint) }
    }
}

extension SyncEveryPeer.Outcome {
    var wasTried: Bool {
        if case .skipped = self { false } else { true }
    }

    /// One element of the array `sync --json` prints: `result` is synced, failed or skipped.
    var json: [String: Any] {
        switch self {
        case .synced(let completed):
            completed.json
        case .failed(let peer, let address, let failure):
            ["result": "failed", "peer": peer.device.description, "peer_name": peer.name, "address": address,
             "error": failure.message, "hint": failure.hint.map { $0 as Any } ?? NSNull(),
             "exit_status": Int(failure.status.rawValue)]
        case .skipped(let peer, let why):
            ["result": "skipped", "peer": peer.device.description, "peer_name": peer.name, "reason": why]
        }
    }
}
