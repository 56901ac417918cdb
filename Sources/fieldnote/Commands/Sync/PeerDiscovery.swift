import Foundation
import Transport

/// Where trusted peers announce themselves on the local network now (Protocol.md 5): heard for
/// a few seconds before `sync NAME` or `sync` goes to a last address, which a device moved to
/// another network, or given a new address, no longer has.
///
/// A peer last reached on this machine (a loopback address) is not listened for: loopback
/// addresses do not move, and no announcement crosses loopback.
struct PeerDiscovery {
    /// How long to listen, at most (it stops once every wanted peer is heard): two of the
    /// announcers' 2-second intervals, so one announcement lost, or late from a busy device, is
    /// not a peer missed. With half a second over one interval, a loaded machine missed a peer
    /// that was serving beside it.
    static let listening: Duration = .seconds(4)

    /// The peers among `peers` heard announcing, with the address and port to reach each.
    static func find(_ peers: [Peer]) -> [DeviceID: (host: String, port: UInt16)] {
        let wanted = peers.filter { peer in peer.lastAddress.map { !isLoopback($0) } ?? true }
        guard !wanted.isEmpty else { return [:] }
        var found: [DeviceID: (host: String, port: UInt16)] = [:]
        // A device that cannot listen (the port held by a program that does not share it)
        // still syncs at the last addresses: discovery is a hint.
        try? LocalDiscovery.listen(for: listening) { announcement, host in
            if let peer = wanted.first(where: { found[$0.device] == nil && announcement.isFrom($0.device) }) {
                found[peer.device] = (host, announcement.port)
            }
            return found.count == wanted.count
        }
        return found
    }

    static func isLoopback(_ address: String) -> Bool {
        guard let (host, _) = try? SyncParse.endpoint(address) else { return false }
        return host.hasPrefix("127.") || host == "::1" || host.lowercased() == "localhost"
    }
}
