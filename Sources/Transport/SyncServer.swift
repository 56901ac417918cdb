import Foundation
import Logging
import Storage

/// Serves sync sessions to trusted peers over TLS 1.3.
///
/// One dedicated thread accepts; every connection runs on its own dedicated `Thread` (blocking
/// sockets driven by OpenSSL). `Admission` decides who holds a place: connections in their TLS
/// handshake have places of their own, so strangers cannot take the session slots; trusted
/// devices hold one session each, wait for a slot in turn, and a session that makes no progress
/// gives its slot up (Protocol.md 2.6). Every phase of a session has a total deadline
/// (`Watchdog`), so connections that stall or trickle free their place in bounded time. No Swift
/// concurrency thread ever blocks here.
///
/// ```swift
/// let server = SyncServer(store: store, identity: identity, trust: trust, bind: "127.0.0.1", port: 0)
/// let port = try server.start()      // listening once this returns
/// …
/// server.stop()                       // on SIGINT/SIGTERM
/// ```
///
/// Sendable: the mutable state (`listener`, `boundPort`, `boundReach`, stopping) is only touched with the
/// `state` condition's lock held; `admission` guards its own; `nextSession` is only touched by
/// the accept thread; everything else is immutable after init.
public final class SyncServer: @unchecked Sendable {
    public let store: Store
    public let identity: DeviceIdentity
    public let trust: TrustList
    public let bind: String
    public let limits: SyncLimits
    private let requestedPort: UInt16
    private let onSession: (@Sendable (SessionReport) -> Void)?
    private let logger: Logger

    private let state = NSCondition()
    private var listener: Int32 = -1
    private var boundPort: UInt16? = nil
    private var boundReach: AnnouncementReach? = nil
    private var stopping = false
    private var acceptRunning = false
    private let admission: Admission
    private var nextSession = 0
    private var context: TLSContext? = nil
    /// A pipe whose write end `stop()` writes to, waking the accept thread from `poll` at once.
    private var wake: (read: Int32, write: Int32) = (-1, -1)

    /// - Parameters:
    ///   - bind: the address to listen on (default loopback only).
    ///   - port: 0 to let the system pick a free port (`start()` returns it).
    ///   - onSession: called on the session's thread when each connection ends, with its summary or error.
    public init(store: Store, identity: DeviceIdentity, trust: TrustList, bind: String = "127.0.0.1", port: UInt16 = 7420,
                limits: SyncLimits = .default, logger: Logger = Logger(label: "fieldnote.sync.server"),
                onSession: (@Sendable (SessionReport) -> Void)? = nil) {
        self.store = store
        self.identity = identity
        self.trust = trust
        self.bind = bind
        self.requestedPort = port
        self.limits = limits
        self.logger = logger
        self.onSession = onSession
        self.admission = Admission(limits: limits)
    }

    /// The port listened on, once started.
    public var port: UInt16? { state.lock(); defer { state.unlock() }; return boundPort }

    /// What the listener accepts, once started: where announcing this device helps a peer.
    public var reach: AnnouncementReach? { state.lock(); defer { state.unlock() }; return boundReach }

    /// Connections being served now: in their handshake, waiting for a slot, or in session.
    public var activeSessions: Int { admission.count }

    /// Binds, listens and starts accepting. Returns the bound port (the system's pick for port 0).
    @discardableResult
    public func start() throws(TransportError) -> UInt16 {
        state.lock()
        defer { state.unlock() }
        if let boundPort { return boundPort }
        let context = try TLSContext(identity: identity, isServer: true)
        let (descriptor, port) = try Sockets.listen(host: bind, port: requestedPort, backlog: 128)
        let wake = try Sockets.wakePipe()
        self.context = context
        self.wake = wake
        listener = descriptor
        boundPort = port
        boundReach = AnnouncementReach(listener: descriptor)
        stopping = false
        acceptRunning = true
        admission.open()
        let thread = Thread { [self] in acceptLoop(descriptor, context, wake: wake.read) }
        thread.name = "fieldnote.sync.accept"
        thread.start()
        logger.info("listening on \(bind):\(port) as \(identity.id.short)")
        return port
    }

    /// Stops accepting at once, cuts connections still in their handshake, waiting for a slot or
    /// in HELLO (they hold no batch), lets the others finish for up to `limits.shutdownGrace` —
    /// each ends at its next batch boundary with ERROR shutting_down — then cuts the rest (a batch
    /// being received is never applied in part: it was one transaction or nothing), and returns
    /// once every session thread has ended.
    public func stop() {
        state.lock()
        guard boundPort != nil, !stopping else { state.unlock(); return }
        stopping = true
        state.broadcast()
        _ = Sockets.wakeUp(wake.write)
        state.unlock()
        admission.close()
        state.lock()
        while acceptRunning { state.wait() }
        close(listener)
        close(wake.read)
        close(wake.write)
        listener = -1
        wake = (-1, -1)
        state.unlock()
        if !admission.waitUntilEmpty(until: Date().addingTimeInterval(Double(limits.shutdownGrace.milliseconds) / 1000)) {
            admission.cutAll()
            admission.waitUntilEmpty()
        }
        state.lock()
        boundPort = nil
        context = nil
        state.unlock()
        logger.info("stopped")
    }

    deinit { stop() }

    private var isStopping: Bool { state.lock(); defer { state.unlock() }; return stopping }

    private func acceptLoop(_ listener: Int32, _ context: TLSContext, wake: Int32) {
        while true {
            // Wait for a handshake place; meanwhile new connections wait in the listen queue.
            guard admission.awaitHandshakePlace(), !isStopping else { break }
            guard let descriptor = Sockets.accept(listener, wake: wake) else { continue }
            let stream: TLSStream
            do {
                stream = try TLSStream(context: context, descriptor: descriptor, check: peerCheck())
            } catch {
                logger.error("\(error)")
                continue
            }
            let session = SyncSession(stream: stream, store: store, identity: identity, trust: trust, limits: limits,
                                      isServer: true, stopping: { [weak self] in self?.isStopping ?? true },
                                      admit: { [admission] session throws(TransportError) in try admission.admit(session) })
            guard admission.opened(session) else { break }
            nextSession += 1
            let number = nextSession
            let thread = Thread { [self] in runSession(session) }
            thread.name = "fieldnote.sync.session.\(number)"
            thread.start()
        }
        state.lock()
        acceptRunning = false
        state.broadcast()
        state.unlock()
    }

    private func peerCheck() -> PeerCheck {
        let own = identity.id
        let trust = trust
        return { device in
            if device == own { return "the peer presents this device's own certificate (a connection to itself)" }
            do {
                return try trust.peer(device) == nil ? "device \(device) is not in the trust list" : nil
            } catch {
                return "the trust list cannot be read: \((error as? TransportError)?.message ?? "\(error)")"
            }
        }
    }

    private func runSession(_ session: SyncSession) {
        let stream = session.stream
        let result: Result<SyncSummary, TransportError>
        do {
            let summary = try session.run()
            result = .success(summary)
            logger.info("synced with \(summary.peerName) (\(summary.peer.short)): received \(summary.received.ops) ops, sent \(summary.sent.ops)")
        } catch {
            result = .failure(error)
            logger.notice("session with \(stream.peerAddress) ended: \(error)")
        }
        let report = SessionReport(address: stream.peerAddress, peer: stream.peerID, result: result)
        admission.closed(session)
        onSession?(report)
    }
}
