import Foundation
import SyncCore
import Transport

/// How `sync` (and `serve`, for its log) puts a failed or empty session into words: one line
/// saying with whom and what happened, one hint saying what to do next.
extension SyncCommand {
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

    /// The transport's error in words for people: what happened, and what to do next. `peer` is
    /// the peer a `sync NAME` went to at its last address (nil for an address typed as such), so
    /// that a failure among several says which colleague it concerns.
    static func explain(_ error: TransportError, address: String, peer: Peer? = nil, identity: DeviceIdentity) -> CommandFailure {
        var status = CommandFailure.from(error)?.status ?? .general
        let at = peer.map { "\($0.name) at \(address)" } ?? address
        let device = peer == nil ? "the device at \(address)" : at
        let (what, next): (String, String?) = switch error.code {
        case .handshakeFailed:
            ("\(device) refused this one: it has not added this device, or has removed it",
             "on that device run: fieldnote peers add \(identity.id) --name YOUR-NAME")
        case .notTrusted:
            ("\(device) is not one this device trusts",
             "add it with `fieldnote peers add ITS-ID --name NAME` (its id: `fieldnote id` there)")
        case .unexpectedPeer:
            ("\(error.message): \(peer?.name ?? "the peer") has moved, or another device now has its address",
             SyncCommand.firstSyncHint(peer?.name ?? "the peer", again: true))
        case .unreachable, .connectionLost:
            ("cannot reach \(at): \(error.message)",
             "is `fieldnote serve` running there? It prints the addresses colleagues can use")
        case .timedOut: ("\(at) did not answer in time", "the network may be slow or blocked; try again")
        case .versionMismatch: ("\(at) speaks another version of the sync protocol: \(error.message)",
                                "update fieldnote on the older device")
        case .spaceNotGranted, .readOnly: ("\(at) refused: \(error.message)", "compare `fieldnote peers list` on both devices")
        case .clockSkew: ("\(at) refused: \(error.message)", "check the date and time on both devices")
        case .busy: ("\(device) is busy: \(error.message)", "try again in a moment")
        default: ("cannot sync with \(at): \(error.fromPeer ? "the other device said: " : "")\(error.message)", nil)
        }
        // Another device at a peer's address is a refusal here, like an untrusted one.
        if error.code == .unexpectedPeer { status = .refused }
        return CommandFailure(what, hint: next, status: status)
    }

    /// What to type so that `sync NAME` knows where `name` is: its address, once, as its
    /// `serve` prints it. `again`: the address it had no longer leads to it.
    static func firstSyncHint(_ name: String, again: Bool = false) -> String {
        "sync once with \(name)'s \(again ? "new " : "")address, as `fieldnote serve` prints it there: "
            + "fieldnote sync HOST:PORT; after that, `fieldnote sync \(typed(name))` goes there"
    }

    /// A peer's name as it is typed in a shell: quoted when it holds anything but letters,
    /// digits, dots, dashes and underscores (`"my phone"`).
    static func typed(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) } ? name : "\"\(name)\""
    }
}
