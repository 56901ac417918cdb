import Foundation
import Storage
import SyncCore

/// Connects to a peer's `SyncServer` and runs one sync session: both directions, every space
/// both sides grant each other (or only `spaces`).
public enum SyncClient {
    /// Runs a sync on the calling thread, which blocks on the socket until the session ends.
    /// Call it from the main thread or a dedicated thread — or use the `async` overload, which
    /// runs it on a dedicated thread of its own.
    ///
    /// - Parameters:
    ///   - spaces: limit the session to these spaces (nil: every space granted both ways).
    ///   - progress: called on the syncing thread after every batch sent or received.
    public static func sync(
        store: Store, identity: DeviceIdentity, trust: TrustList, host: String, port: UInt16,
        spaces: Set<SpaceID>? = nil, limits: SyncLimits = .default,
        progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) throws(TransportError) -> SyncSummary {
        let stream = try connect(identity: identity, trust: trust, host: host, port: port, limits: limits)
        let session = SyncSession(stream: stream, store: store, identity: identity, trust: trust, limits: limits, isServer: false,
                                  requestedSpaces: spaces, progress: progress)
        return try session.run()
    }

    /// The same, on a dedicated thread, so no Swift concurrency thread blocks on the socket.
    public static func sync(
        store: Store, identity: DeviceIdentity, trust: TrustList, host: String, port: UInt16,
        spaces: Set<SpaceID>? = nil, limits: SyncLimits = .default,
        progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) async throws(TransportError) -> SyncSummary {
        let result: Result<SyncSummary, TransportError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { () throws(TransportError) -> SyncSummary in
                    try sync(store: store, identity: identity, trust: trust, host: host, port: port, spaces: spaces,
                             limits: limits, progress: progress)
                })
            }
            thread.name = "fieldnote.sync.client"
            thread.start()
        }
        return try result.get()
    }

    /// A TCP connection wrapped for TLS (the handshake is left to the session).
    static func connect(identity: DeviceIdentity, trust: TrustList, host: String, port: UInt16, limits: SyncLimits) throws(TransportError) -> TLSStream {
        let context = try TLSContext(identity: identity, isServer: false)
        let descriptor = try Sockets.connect(host: host, port: port, timeout: limits.connectTimeout)
        let own = identity.id
        return try TLSStream(context: context, descriptor: descriptor, check: { device in
            if device == own { return "the server presents this device's own certificate (a connection to itself)" }
            do {
                return try trust.peer(device) == nil ? "the server's device \(device) is not in the trust list" : nil
            } catch {
                return "the trust list cannot be read: \((error as? TransportError)?.message ?? "\(error)")"
            }
        })
    }
}
