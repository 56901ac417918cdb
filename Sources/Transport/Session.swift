import Foundation
import Sealing
import Storage
import SyncCore

/// One sync session over an authenticated TLS stream, for either role: drives
/// `SyncSessionStateMachine` (which holds every rule of Protocol.md 2.4) with the store, the
/// trust list and the socket.
///
/// Sendable: a server creates the session on its accept thread and hands it to the session's own
/// thread, the only one that runs it; other threads touch only `stream` (whose `cut()` is safe
/// from any thread) and `isPastHello` (read under `phaseLock`).
final class SyncSession: @unchecked Sendable {
    let stream: TLSStream
    let store: Store
    let identity: DeviceIdentity
    let trust: TrustList
    let limits: SyncLimits
    let isServer: Bool
    let requestedSpaces: Set<SpaceID>?
    let progress: (@Sendable (SyncProgress) -> Void)?
    /// Polled between batches: true when the server is stopping.
    let stopping: @Sendable () -> Bool
    /// A server's admission, called once the peer is authenticated and before its HELLO is
    /// read: returns once the session holds a slot, or throws (`busy`, `shutting_down`).
    let admit: (@Sendable (SyncSession) throws(TransportError) -> Void)?

    /// Total deadlines for the handshake, the wait for HELLO, and each frame after it.
    let watchdog: Watchdog
    /// The deadline for reading one whole frame, once HELLOs are exchanged (nil before: the
    /// HELLO deadline covers that phase).
    var frameDeadline: Duration? = nil
    private let phaseLock = NSLock()
    private var pastHello = false
    /// Cuts a session that goes `limits.progressTimeout` without progress, or at once when a
    /// server needs its slot (`cutOff`).
    let progressWatchdog: Watchdog
    /// Progress and time spent waiting on the peer, for a server choosing who yields a slot.
    let progressClock = ProgressClock()
    /// Frames written and not yet handed to TLS: sent together when this side next waits for
    /// the peer, so one flight leaves in as few records and segments as it can.
    var unsent: [UInt8] = []
    /// Whether the state machine, failing the session, said to tell the peer with ERROR (nil
    /// when the session failed before the machine existed: then the same rule is applied here).
    var peerIsTold: Bool? = nil

    init(stream: TLSStream, store: Store, identity: DeviceIdentity, trust: TrustList, limits: SyncLimits, isServer: Bool,
         requestedSpaces: Set<SpaceID>? = nil, progress: (@Sendable (SyncProgress) -> Void)? = nil,
         stopping: @escaping @Sendable () -> Bool = { false },
         admit: (@Sendable (SyncSession) throws(TransportError) -> Void)? = nil) {
        self.stream = stream
        self.store = store
        self.identity = identity
        self.trust = trust
        self.limits = limits
        self.isServer = isServer
        self.requestedSpaces = requestedSpaces
        self.progress = progress
        self.stopping = stopping
        self.admit = admit
        self.watchdog = Watchdog(stream: stream)
        self.progressWatchdog = Watchdog(stream: stream)
    }

    /// True once HELLOs are exchanged: from then on the session may be applying a batch, so a
    /// stopping server lets it reach a batch boundary instead of cutting it at once. Any thread.
    var isPastHello: Bool { phaseLock.lock(); defer { phaseLock.unlock() }; return pastHello }

    /// Progress is: admitted, HELLOs exchanged, ops new to a side, a batch acknowledged, a DONE.
    /// Empty batches and duplicates are not.
    func markProgress() {
        progressClock.progressed()
        progressWatchdog.arm("made no progress for \(limits.progressTimeout.milliseconds) ms", limits.progressTimeout)
    }

    /// Ends the session now, from any thread: `run()` then fails with `timed_out` saying `why`.
    func cutOff(_ why: String) { progressWatchdog.expire(why) }

    /// Runs the whole session and closes the stream. On a local protocol error, tells the peer
    /// with ERROR before closing.
    func run() throws(TransportError) -> SyncSummary {
        let start = ContinuousClock.now
        defer { stream.close() }
        defer { watchdog.disarm(); progressWatchdog.disarm() }
        do {
            // Each read is bounded by the socket timeout, and each phase as a whole by the watchdog,
            // so a peer that trickles bytes cannot hold the session past the phase's deadline.
            watchdog.arm("the TLS handshake", limits.handshakeTimeout)
            stream.setTimeouts(limits.handshakeTimeout)
            try stream.handshake()
            watchdog.disarm()
            try admit?(self)
            markProgress()
            stream.setTimeouts(limits.helloTimeout)
            var summary = try drive(try SessionContext(session: self))
            summary.duration = ContinuousClock.now - start
            summary.sent.bytes = stream.bytesWritten
            summary.received.bytes = stream.bytesRead
            return summary
        } catch {
            if let stalled = progressWatchdog.expired {
                throw TransportError(.timedOut, "\(stream.peerAddress) \(stalled.name)")
            }
            if let expired = watchdog.expired {
                throw TransportError(.timedOut, "\(expired.name) with \(stream.peerAddress) did not finish within \(expired.limit.milliseconds) ms")
            }
            if peerIsTold ?? (!error.fromPeer && SessionError.Code.reported.contains(error.code)) {
                unsent = []
                try? writeFrame(.error, ErrorMessage.encode(error))
                try? flush()
                if error.code != .timedOut { lingerAfterError(error) }
            }
            if !isServer, error.code == .connectionLost, !isPastHello {
                // In TLS 1.3 the server checks the client's certificate after the client has
                // finished its side of the handshake: a refusal shows up here, as an alert or a
                // reset that may overtake it.
                throw TransportError(.handshakeFailed, "the server ended the connection before answering HELLO; it may not trust this device (\(identity.id)): \(error.message)")
            }
            throw error
        }
    }

    /// HELLOs are exchanged: from now on each frame has its own deadline.
    func helloExchanged() {
        phaseLock.lock(); pastHello = true; phaseLock.unlock()
        frameDeadline = limits.idleTimeout
        stream.setTimeouts(limits.idleTimeout)
        markProgress()
    }

    /// How long a side that sent ERROR keeps reading before it closes.
    static let lingerLimit: Duration = .milliseconds(500)

    /// After ERROR past HELLO, reads and discards what the peer had already sent — at most a
    /// window of batches, or the ACKs of one — until it closes, for a short while; after a server's
    /// `busy`, which comes before HELLO, the client's HELLO. Closing with
    /// unread bytes makes TCP reset the connection, and a peer still writing (a batch of its
    /// window, an ACK) would see "connection reset" instead of the ERROR that says why.
    private func lingerAfterError(_ error: TransportError) {
        guard isPastHello || error.code == .busy else { return }
        frameDeadline = Self.lingerLimit
        stream.setTimeouts(Self.lingerLimit)
        for _ in 0...SyncProtocol.batchWindow + 2 {
            do { _ = try readFrame() } catch { return }
        }
    }
}
