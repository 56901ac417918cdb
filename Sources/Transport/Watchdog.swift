import Foundation

/// How far a session has got, how long it has waited on its peer, and how many bytes it has moved:
/// what a server weighs to choose the session that gives its slot to a waiting device. Time the
/// session spends on its own work (applying a batch, reading its store) is not counted against it.
///
/// Sendable: every stored property is touched only with `lock` held.
final class ProgressClock: @unchecked Sendable {
    private let lock = NSLock()
    private let started = ContinuousClock.now
    private var steps = 0
    private var waited: Duration = .zero
    private var totalWaited: Duration = .zero
    private var waitingSince: ContinuousClock.Instant? = nil
    private var bytes = 0

    /// The session made progress: one more step, and the waiting starts again from nothing.
    func progressed() {
        lock.lock()
        steps += 1
        let now = ContinuousClock.now
        if let since = waitingSince { totalWaited += now - since }
        waited = .zero
        if waitingSince != nil { waitingSince = now }
        lock.unlock()
    }

    /// The session starts (true) or stops (false) waiting for the peer's bytes.
    func waiting(_ isWaiting: Bool) {
        lock.lock()
        let now = ContinuousClock.now
        if let since = waitingSince {
            waited += now - since
            totalWaited += now - since
        }
        waitingSince = isWaiting ? now : nil
        lock.unlock()
    }

    /// The session read or wrote a frame of `count` bytes.
    func moved(_ count: Int) {
        lock.lock()
        bytes += count
        lock.unlock()
    }

    /// Steps of progress so far; the time waited on the peer since the last one, and in all; and
    /// the bytes moved each way together, per second since the session started.
    var stall: (steps: Int, waited: Duration, totalWaited: Duration, bytesPerSecond: Double) {
        lock.lock()
        defer { lock.unlock() }
        let open = waitingSince.map { ContinuousClock.now - $0 } ?? .zero
        let seconds = max(0.001, Double((ContinuousClock.now - started).milliseconds) / 1000)
        return (steps, waited + open, totalWaited + open, Double(bytes) / seconds)
    }
}

/// A total deadline for one phase of a session (the TLS handshake, the wait for HELLO, the
/// reading of one frame), on top of the per-read socket timeouts.
///
/// A socket timeout bounds each read, so a peer that trickles one byte just before each timeout
/// would hold a session for ever; the watchdog bounds the whole phase instead. When it fires it
/// cuts the stream (`TLSStream.cut`), which makes the blocked read return at once; the session
/// then asks `expired` and reports `timed_out` naming the phase. One Dispatch timer per session,
/// re-scheduled for each phase, on a shared serial queue; its handler never blocks (shutting a
/// socket down does not wait).
///
/// Sendable: `phase` and `expiredPhase` are only touched with `lock` held; the timer is set up
/// in init and only rescheduled or cancelled after, which Dispatch allows from any thread; the
/// stream's `cut()` is safe from any thread.
final class Watchdog: @unchecked Sendable {
    private let stream: TLSStream
    private let lock = NSLock()
    private var phase: (name: String, limit: Duration, deadline: ContinuousClock.Instant)? = nil
    private var expiredPhase: (name: String, limit: Duration)? = nil
    private let timer: DispatchSourceTimer
    private static let queue = DispatchQueue(label: "fieldnote.sync.watchdog")

    init(stream: TLSStream) {
        self.stream = stream
        timer = DispatchSource.makeTimerSource(queue: Self.queue)
        timer.setEventHandler { [weak self] in self?.fire() }
        timer.schedule(deadline: .distantFuture)
        timer.activate()
    }

    deinit { timer.cancel() }

    /// Starts timing `name`: unless `disarm` or another `arm` comes first, the stream is cut
    /// after `limit`.
    func arm(_ name: String, _ limit: Duration) {
        lock.lock()
        phase = (name, limit, ContinuousClock.now + limit)
        lock.unlock()
        timer.schedule(deadline: .now() + .milliseconds(max(1, limit.milliseconds)))
    }

    func disarm() {
        lock.lock()
        phase = nil
        lock.unlock()
    }

    /// Cuts the stream now, from any thread, as if the deadline of a phase named `name` had
    /// passed: for a server that must take a connection's place for another.
    func expire(_ name: String) {
        lock.lock()
        phase = nil
        if expiredPhase == nil { expiredPhase = (name, .zero) }
        lock.unlock()
        stream.cut()
    }

    /// The phase whose deadline passed, if one did.
    var expired: (name: String, limit: Duration)? { lock.lock(); defer { lock.unlock() }; return expiredPhase }

    /// The timer fired: cut only if a phase is armed and its deadline has really passed (the
    /// timer may fire for a phase since replaced by a later one).
    private func fire() {
        lock.lock()
        guard let current = phase else { lock.unlock(); return }
        guard ContinuousClock.now >= current.deadline else {
            lock.unlock()
            timer.schedule(deadline: .now() + .milliseconds(max(1, (current.deadline - ContinuousClock.now).milliseconds)))
            return
        }
        expiredPhase = (current.name, current.limit)
        phase = nil
        lock.unlock()
        stream.cut()
    }
}
