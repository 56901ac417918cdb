import Foundation
import Logging
import Storage

/// Serves sync sessions to trusted peers over TLS 1.3.
///
/// One dedicated thread accepts; every session runs on its own dedicated `Thread` (blocking
/// sockets driven by OpenSSL), at most `limits.maxSessions` at once — while they are all taken,
/// the accept thread waits and further connections wait in the listen queue, so a burst of
/// clients is served in turn rather than refused. Every phase of a session has a total deadline
/// (`Watchdog`), so connections that stall or trickle free their slot in bounded time. No Swift
/// concurrency thread ever blocks here.
///
/// ```swift
/// let server = SyncServer(store: store, identity: identity, trust: trust, bind: "127.0.0.1", port: 0)
/// let port = try server.start()      // listening once this returns
/// …
/// server.stop()                       // on SIGINT/SIGTERM
/// ```
///
/// Sendable: the mutable state (`listener`, `boundPort`, sessions, stopping) is only touched
/// with the `state` condition's lock held; everything else is immutable after init, except
/// `faults`, which tests set before `start()` and never after.
public final class SyncServer: @unchecked Sendable {
    public let store: Store
    public let identity: DeviceIdentity
    public let trust: TrustList
    public let bind: String
    public let limits: SyncLimits
    private let requestedPort: UInt16
    private let onSession: (@Sendable (SessionReport) -> Void)?
    private let logger: Logger
    var faults = FaultInjection()

    private let state = NSCondition()
    private var listener: Int32 = -1
    private var boundPort: UInt16? = nil
    private var stopping = false
    private var acceptRunning = false
    private var sessions: [Int: (stream: TLSStream, session: SyncSession)] = [:]
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
    }

    /// The port listened on, once started.
    public var port: UInt16? { state.lock(); defer { state.unlock() }; return boundPort }

    /// Sessions running now.
    public var activeSessions: Int { state.lock(); defer { state.unlock() }; return sessions.count }

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
        stopping = false
        acceptRunning = true
        let thread = Thread { [self] in acceptLoop(descriptor, context, wake: wake.read) }
        thread.name = "fieldnote.sync.accept"
        thread.start()
        logger.info("listening on \(bind):\(port) as \(identity.id.short)")
        return port
    }

    /// Stops accepting at once, cuts sessions still in their handshake or HELLO (they hold no
    /// batch), lets the others finish for up to `limits.shutdownGrace` — each ends at its next
    /// batch boundary with ERROR shutting_down — then cuts the rest (a batch being received is
    /// never applied in part: it was one transaction or nothing), and returns once every session
    /// thread has ended.
    public func stop() {
        state.lock()
        guard boundPort != nil, !stopping else { state.unlock(); return }
        stopping = true
        state.broadcast()
        _ = Sockets.wakeUp(wake.write)
        while acceptRunning { state.wait() }
        close(listener)
        close(wake.read)
        close(wake.write)
        listener = -1
        wake = (-1, -1)
        for entry in sessions.values where !entry.session.isPastHello { entry.stream.cut() }
        let deadline = Date().addingTimeInterval(Double(limits.shutdownGrace.milliseconds) / 1000)
        while !sessions.isEmpty && state.wait(until: deadline) {}
        for entry in sessions.values { entry.stream.cut() }
        while !sessions.isEmpty { state.wait() }
        boundPort = nil
        context = nil
        state.unlock()
        logger.info("stopped")
    }

    deinit { stop() }

    private var isStopping: Bool { state.lock(); defer { state.unlock() }; return stopping }

    private func acceptLoop(_ listener: Int32, _ context: TLSContext, wake: Int32) {
        while true {
            // Wait for a free session slot; meanwhile new connections wait in the listen queue.
            state.lock()
            while sessions.count >= limits.maxSessions && !stopping { state.wait() }
            let stop = stopping
            state.unlock()
            if stop { break }
            guard let descriptor = Sockets.accept(listener, wake: wake) else { continue }
            let stream: TLSStream
            do {
                stream = try TLSStream(context: context, descriptor: descriptor, check: peerCheck())
            } catch {
                logger.error("\(error)")
                continue
            }
            let session = SyncSession(stream: stream, store: store, identity: identity, trust: trust, limits: limits,
                                      isServer: true, faults: faults, stopping: { [weak self] in self?.isStopping ?? true })
            state.lock()
            guard !stopping else { state.unlock(); break }
            nextSession += 1
            let number = nextSession
            sessions[number] = (stream, session)
            state.unlock()
            let thread = Thread { [self] in runSession(number, session) }
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

    private func runSession(_ number: Int, _ session: SyncSession) {
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
        state.lock()
        sessions[number] = nil
        state.broadcast()
        state.unlock()
        onSession?(report)
    }
}
