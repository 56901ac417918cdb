import Storage
import SyncCore

/// Bounds on a server or client: timeouts, sizes, concurrency.
public struct SyncLimits: Sendable, Hashable {
    /// Sessions of trusted devices a server runs at once, one per device (Protocol.md 2.6).
    public var maxSessions: Int = 8
    /// Connections a server lets run their TLS handshake at once: unauthenticated, so they never
    /// take a session slot. When every place is taken, the oldest handshake that has run a
    /// second or more is cut to make room; otherwise new connections wait in the listen queue.
    public var maxHandshakes: Int = 32
    /// How long a trusted device waits for a session slot before the server answers ERROR
    /// `busy`: below the client's own HELLO deadline, so the client hears why.
    public var slotWait: Duration = .seconds(8)
    /// The longest a session may go without progress (ops new to a side, an acknowledged
    /// batch, a DONE) before it is cut, whether or not anyone else waits.
    public var progressTimeout: Duration = .seconds(30)
    /// While a trusted device waits for a session slot, a session that has made no progress
    /// since its HELLO is cut once it has waited this long on its peer.
    public var yieldAfter: Duration = .seconds(2)
    /// The same for a session that has made progress since its HELLO, counted from its last.
    public var yieldAfterProgress: Duration = .seconds(10)
    /// A session that moves fewer bytes than this per second (both ways, since it started) is
    /// *thin*: while a device waits, it is cut once it has waited `yieldAfter` on its peer in all,
    /// progress or not — a device writing one real op every second keeps no slot from others.
    public var thinBytesPerSecond: Double = 16 * 1024
    /// Connecting (client only).
    public var connectTimeout: Duration = .seconds(10)
    /// The TLS handshake, bounding each read and write of it.
    public var handshakeTimeout: Duration = .seconds(10)
    /// From the end of the handshake to the peer's HELLO.
    public var helloTimeout: Duration = .seconds(10)
    /// Any later wait for the peer: a frame, an acknowledgement.
    public var idleTimeout: Duration = .seconds(60)
    /// The largest frame this side accepts (announced in HELLO; 64 KiB … 8 MiB).
    public var maxFrameBytes: Int = SyncProtocol.maxFrameBytes
    /// Ops in one BATCH this side sends (fewer when the encoded batch would pass `batchBytes`).
    public var batchOps: Int = 8_000
    /// Target size of one encoded BATCH this side sends.
    public var batchBytes: Int = 4 << 20
    /// How long `SyncServer.stop()` lets sessions finish before cutting their connections.
    public var shutdownGrace: Duration = .seconds(5)

    public init() {}

    public static let `default` = SyncLimits()
}

/// Traffic in one direction of a session.
public struct Traffic: Sendable, Hashable, Codable {
    /// Ops carried in BATCH messages.
    public var ops = 0
    /// BATCH messages.
    public var batches = 0
    /// Ops the receiving side found new and applied (the rest it held already or parked).
    public var applied = 0
    /// Application bytes (frames: HELLO, BATCH, ACK, DONE, ERROR), TLS overhead not counted.
    public var bytes = 0

    public init() {}
}

/// What one sync session did, from this side's point of view.
public struct SyncSummary: Sendable, Hashable {
    public var peer: DeviceID
    /// The peer's name in this device's trust list.
    public var peerName: String
    public var peerReplica: ReplicaID
    /// The protocol version spoken.
    public var version: UInt64
    /// The spaces exchanged: granted by both sides to each other.
    public var spaces: [SpaceID]
    /// The spaces this side's HELLO offered: its grants to the peer, narrowed to those asked for.
    public var offered: [SpaceID] = []
    /// The spaces the peer's HELLO offered: its grants to this device, narrowed to those it asked
    /// for when it is the client. With `offered`, says why nothing was exchanged.
    public var peerOffered: [SpaceID] = []
    public var sent = Traffic()
    public var received = Traffic()
    public var duration: Duration = .zero
    /// Notes where ops received in this session met concurrent changes of this store: text both
    /// sides edited, or a field both set. One entry a note, in the order first met.
    public var merged: [MergeMark] = []
    /// Replicas whose author signed two different ops under one id, found in this session: their
    /// second history was refused (Protocol.md 2.8).
    public var faulty: [FaultyReplica] = []

    /// Adds the merges one received batch found, one entry a note.
    mutating func record(_ marks: [MergeMark]) {
        for mark in marks {
            if let index = merged.firstIndex(where: { $0.note == mark.note }) { merged[index] = mark } else { merged.append(mark) }
        }
    }
}

/// Reported after every batch sent or received.
public struct SyncProgress: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable { case sending, receiving }
    public var direction: Direction
    public var space: SpaceID
    /// Totals so far in this direction.
    public var ops: Int
    public var bytes: Int
}

/// The outcome of one connection to a server, reported to `SyncServer`'s `onSession`.
public struct SessionReport: Sendable {
    /// `host:port` of the peer's socket.
    public var address: String
    /// The peer's device id, when its certificate was seen.
    public var peer: DeviceID?
    public var result: Result<SyncSummary, TransportError>
}
