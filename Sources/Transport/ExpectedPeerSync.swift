import Foundation
import Storage
import SyncCore

extension TransportError.Code {
    /// The device that answered at an address is not the peer the sync was for: the peer has
    /// moved, or another device now has its address. Refused in the handshake.
    public static let unexpectedPeer = TransportError.Code(rawValue: "unexpected_peer")
}

extension SyncClient {
    /// Syncs with `peer` alone, at `host:port`: how `sync NAME` goes to the address where the
    /// peer was last reached.
    ///
    /// Addresses change hands: a laptop leaves the office network and a colleague's gets its
    /// address. The trust list alone would accept any trusted device there, and the session
    /// would carry notes the person meant for one colleague to another. So the certificate
    /// check accepts only `peer`, during the handshake, before either side has sent a note;
    /// any other device fails with `unexpected_peer`, naming the device that answered.
    public static func sync(
        peer: DeviceID, store: Store, identity: DeviceIdentity, trust: TrustList, host: String, port: UInt16,
        spaces: Set<SpaceID>? = nil, limits: SyncLimits = .default,
        progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) throws(TransportError) -> SyncSummary {
        let context = try TLSContext(identity: identity, isServer: false)
        let descriptor = try Sockets.connect(host: host, port: port, timeout: limits.connectTimeout)
        let stream = try TLSStream(context: context, descriptor: descriptor, check: { device in
            guard device == peer else { return "it is not \(peer)" }
            do throws(TransportError) {
                return try trust.peer(device) == nil ? "\(device) is no longer in the trust list" : nil
            } catch {
                return "the trust list cannot be read: \(error.message)"
            }
        })
        let session = SyncSession(stream: stream, store: store, identity: identity, trust: trust, limits: limits,
                                  isServer: false, requestedSpaces: spaces, progress: progress)
        do {
            return try session.run()
        } catch {
            guard let reached = stream.peerID, reached != peer else { throw error }
            let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            throw TransportError(.unexpectedPeer, "the device at \(address) is \(describe(reached, in: trust)), not \(describe(peer, in: trust))")
        }
    }

    /// `Cleo (ABCDEFG)` for a trusted device, else its whole id, which is what the person
    /// can compare with `fieldnote id` on the devices around her.
    private static func describe(_ device: DeviceID, in trust: TrustList) -> String {
        guard let known = try? trust.peer(device) else { return "\(device), which this device does not trust" }
        return "\(known.name) (\(device.short))"
    }
}
