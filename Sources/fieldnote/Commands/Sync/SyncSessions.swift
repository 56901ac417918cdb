import Foundation
import Storage
import SyncCore
import Transport

/// Sync sessions started from this device, as `sync` runs them: with a peer at its last
/// address or with an address as typed, a failure put into words naming the peer, and, after
/// a success, where the peer was reached remembered for next time.
struct SyncSessions {
    let store: Store
    let identity: DeviceIdentity
    let trust: TrustList
    /// The spaces asked for with --space; empty: every space both devices grant each other.
    let asked: [SpaceID]
    let reporter: ProgressReporter

    /// Refuses before connecting when this device trusts nobody: every server would refuse it,
    /// and the remedy is on both devices.
    func requireAPeer() throws {
        guard try trust.peers().isEmpty else { return }
        throw CommandFailure("this device trusts no other device yet",
                             hint: "add the other with `fieldnote peers add ITS-ID --name NAME`; it adds this one: \(identity.id)",
                             status: .refused)
    }

    /// Brings the search index up to date with the notes the sync received (`SearchBacklog`),
    /// so that the next search answers at once: a person who syncs waits for the sync anyway,
    /// and one who then searches should not wait again. At a terminal a large backlog is said
    /// first, as search says it (`SearchCommand.noticeableBacklog`). Interrupted, it loses
    /// nothing: what it did not index, the next search does.
    func indexReceived(announcing: Bool) throws {
        let waiting = try store.unindexedNotes()
        guard waiting > 0 else { return }
        if announcing && waiting >= SearchCommand.noticeableBacklog && Terminal.isTerminal(STDERR_FILENO) {
            Terminal.note("indexing \(Units.count(waiting)) notes received for search…")
        }
        try store.updateSearchIndex()
    }

    /// One session with `target`. A peer is reached where it announces itself on the local
    /// network (`discovered`), else at its last address, and only the peer itself is accepted
    /// there; an address accepts any trusted device, as it always did. Throws a
    /// `CommandFailure` naming the peer or address, also when nothing was exchanged.
    func sync(_ target: SyncTarget, discovered: (host: String, port: UInt16)? = nil) throws -> CompletedSync {
        let peer: Peer?
        let (host, port): (String, UInt16)
        switch target {
        case .peer(let named): peer = named; (host, port) = try discovered ?? named.lastEndpoint()
        case .address(let typedHost, let typedPort): peer = nil; (host, port) = (typedHost, typedPort)
        }
        let address = SyncParse.address(host: host, port: port)
        let spaces: Set<SpaceID>? = asked.isEmpty ? nil : Set(asked)
        let summary: SyncSummary
        do throws(TransportError) {
            defer { reporter.finish() }
            if let peer {
                summary = try SyncClient.sync(peer: peer.device, store: store, identity: identity, trust: trust, host: host, port: port,
                                              spaces: spaces, progress: reporter.callback)
            } else {
                summary = try SyncClient.sync(store: store, identity: identity, trust: trust, host: host, port: port,
                                              spaces: spaces, progress: reporter.callback)
            }
        } catch {
            throw SyncCommand.explain(error, address: address, peer: peer, identity: identity)
        }
        if summary.spaces.isEmpty {
            let grantedHere = try trust.peer(summary.peer)?.sortedSpaces.map(\.space) ?? summary.offered
            throw SyncCommand.nothingInCommon(summary, address: address, grantedHere: grantedHere, asked: asked)
        }
        remember(summary, at: address)
        return CompletedSync(summary: summary, address: address, merged: try MergedNotes(summary, store: store),
                             skipped: SyncCommand.skipped(summary, asked: asked))
    }

    /// Keeps the address that worked, so that `sync NAME` goes there next time. The notes are
    /// already exchanged: a trust list that cannot be written costs a note on stderr, not the
    /// sync's success.
    private func remember(_ summary: SyncSummary, at address: String) {
        do throws(TransportError) {
            try trust.recordSync(with: summary.peer, at: address)
        } catch {
            Terminal.note("note: synced, but could not remember \(summary.peerName)'s address: \(error.message)")
        }
    }
}

/// A session that exchanged something, and what `sync` says of it.
struct CompletedSync {
    let summary: SyncSummary
    /// `HOST:PORT` where the peer was reached.
    let address: String
    let merged: MergedNotes
    /// Spaces the sync meant to carry that the two devices do not both grant, each with why.
    let skipped: [(SpaceID, String)]

    /// One object per session, for `sync --json` (alone, or one in the array of `sync`).
    var json: [String: Any] {
        var object = summary.json
        object["result"] = "synced"
        object["address"] = address
        object["merged"] = merged.json
        object["skipped"] = skipped.map { $0.0.name }
        return object
    }

    /// The report of `sync PEER`: with whom and where, the spaces, each direction, the merges.
    func lines(style: Style) -> [String] {
        var lines = ["synced with " + style.bold(summary.peerName) + " (\(summary.peer.short)) at \(address) in \(Units.time(summary.duration))"]
        lines.append(style.dim("  spaces    ") + summary.spaces.map(\.name).joined(separator: ", "))
        for (space, reason) in skipped { lines.append(style.dim("  skipped   ") + "\(space.name): \(reason)") }
        lines.append(style.dim("  sent      ") + "\(Units.plural(summary.sent.ops, "op")) (\(Units.bytes(summary.sent.bytes)))")
        lines.append(style.dim("  received  ") + "\(Units.plural(summary.received.ops, "op")) (\(Units.bytes(summary.received.bytes))), \(Units.count(summary.received.applied)) new")
        return lines + merged.lines(style: style) + summary.faultyLines(style: style)
    }

    /// The line of `sync` alone for this peer: `Asha: sent 3 ops (1.2 KB), received 5 ops
    /// (2.0 KB, 5 new) in 120 ms`, then any space left out and any note merged, which the
    /// person has to act on. Faulty replicas, rarer and graver, keep lines of their own.
    func summaryLine(style: Style) -> [String] {
        var line = style.bold(summary.peerName) + ": " + summary.line
        if !skipped.isEmpty {
            line += "; skipped " + skipped.map { "\($0.0.name) (\($0.1))" }.joined(separator: ", ")
        }
        if !merged.entries.isEmpty {
            line += "; merged changes from both sides in " + merged.entries.map(\.shortID).joined(separator: ", ")
                + " (check with `fieldnote history ID --text`)"
        }
        return [line] + summary.faultyLines(style: style)
    }
}
