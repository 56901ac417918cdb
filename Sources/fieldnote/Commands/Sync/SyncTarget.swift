import Foundation
import Transport

/// What `sync` was told to reach: a trusted peer, at the address where a sync last reached it,
/// or an address as typed.
enum SyncTarget {
    case peer(Peer)
    case address(host: String, port: UInt16)

    /// Reads the argument of `sync`: a peer's name (any case) or device id first, so that
    /// `sync Ben` means the colleague even if a machine on the network were called Ben; else
    /// HOST[:PORT] as it always was. A single word that is no peer — no dot, no colon, no
    /// brackets, not localhost — is refused (exit 4) with the nearest name: it was far more
    /// likely a name mistyped than a host, and a one-word host can still be given with its port.
    static func resolve(_ text: String, in trust: TrustList) throws -> SyncTarget {
        if let peer = try? trust.resolve(text) { return .peer(peer) }
        guard looksLikeAddress(text) else {
            let names = try trust.peers().map(\.name)
            let guess = KnownSpaces.nearest(to: text.lowercased(), among: names.map { $0.lowercased() })
                .flatMap { lowered in names.first { $0.lowercased() == lowered } }
                .map { " (did you mean \"\($0)\"?)" } ?? ""
            throw CommandFailure(
                "\"\(text)\" is not a trusted peer's name or id\(guess), nor an address",
                hint: "`fieldnote peers list` shows the peers; an address is HOST:PORT (a one-word host needs its port: \(text):7420)",
                status: .invalidValue)
        }
        let (host, port) = try SyncParse.endpoint(text)
        return .address(host: host, port: port)
    }

    /// Whether `text` can only be meant as a host: it has a port, a dot (a domain or an IPv4
    /// address), brackets (IPv6), or is this computer's own name for itself.
    static func looksLikeAddress(_ text: String) -> Bool {
        text.contains(":") || text.contains(".") || text.hasPrefix("[") || text.lowercased() == "localhost"
    }
}

extension SyncParse {
    /// `host:port`, with an IPv6 host in brackets so that it reads back (`[::1]:7420`).
    static func address(host: String, port: UInt16) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension Peer {
    /// Where `sync NAME` goes: the address where a sync last reached this peer. Refuses (exit 3)
    /// with the peer named and how to give it an address, when no sync has reached it yet.
    func lastEndpoint() throws -> (host: String, port: UInt16) {
        guard let lastAddress else {
            throw CommandFailure(
                "no address is known for \(name) (\(device.short)): this device has not synced with it by address yet",
                hint: SyncCommand.firstSyncHint(name), status: .notFound)
        }
        return try SyncParse.endpoint(lastAddress)
    }
}
