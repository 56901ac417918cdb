import Foundation

/// Who may hold a server's connections, so that no device and no stranger can starve the
/// others (Protocol.md 2.6).
///
/// Two kinds of place, counted apart:
/// - **Handshake places** (`limits.maxHandshakes`) for connections whose TLS handshake has not
///   finished: nobody knows yet who they are, so they never take a session slot. When every
///   place is taken, the oldest handshake that has run `evictableAfter` is cut to make room;
///   otherwise new connections wait in the listen queue. An honest handshake takes milliseconds;
///   one that stalls is the one that goes.
/// - **Session slots** (`limits.maxSessions`) for trusted devices past their handshake, one
///   session per device: a second connection from a device that has one running or waiting is
///   answered ERROR `busy` unless the first ends within `sameDeviceGrace`. Devices wait for a slot in arrival order, at most `limits.slotWait`.
///   While one waits, the session that has waited longest on its peer without progress is cut
///   once it has waited `limits.yieldAfter` (`yieldAfterProgress` if it has made progress since
///   its HELLO), and a thin session (`limits.thinBytesPerSecond`) once it has waited
///   `yieldAfter` in all, so sessions that only trickle — bytes, empty batches or a real op now
///   and then — cannot hold the slots.
///
/// Sendable: every stored property is touched only with `condition`'s lock held.
final class Admission: @unchecked Sendable {
    private enum Stage { case handshake, waiting, running }

    private struct Place {
        let session: SyncSession
        let opened = ContinuousClock.now
        var stage = Stage.handshake
        /// Cut to make room, and not yet gone: no longer counted against the limits.
        var leaving = false
    }

    /// The least time a handshake runs before a newcomer may take its place.
    static let evictableAfter: Duration = .seconds(1)
    /// How long a device's second connection waits for its first session to end before `busy`.
    static let sameDeviceGrace: Duration = .seconds(1)

    private let limits: SyncLimits
    private let condition = NSCondition()
    private var places: [ObjectIdentifier: Place] = [:]
    /// Devices waiting for a session slot, first come first.
    private var queue: [ObjectIdentifier] = []
    private var closed = false

    init(limits: SyncLimits) { self.limits = limits }

    /// Connections of every kind now: in their handshake, waiting or in session.
    var count: Int { condition.lock(); defer { condition.unlock() }; return places.count }

    /// Called by the accept thread before it accepts: returns once a handshake place is free
    /// (cutting the oldest stalled handshake if need be), or false once closed.
    func awaitHandshakePlace() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !closed {
            let handshakes = places.filter { $0.value.stage == .handshake && !$0.value.leaving }
            if handshakes.count < limits.maxHandshakes { return true }
            let (key, oldest) = handshakes.min { $0.value.opened < $1.value.opened }!
            let age = ContinuousClock.now - oldest.opened
            if age >= Self.evictableAfter {
                places[key]?.leaving = true
                oldest.session.cutOff("was still in its TLS handshake after \(age.milliseconds) ms when every handshake place was taken")
                return true
            }
            _ = condition.wait(until: Self.date(after: Self.evictableAfter - age))
        }
        return false
    }

    /// Registers a connection just accepted, in its handshake; false once closed.
    func opened(_ session: SyncSession) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        places[ObjectIdentifier(session)] = Place(session: session)
        return true
    }

    /// Called on the session's thread once the peer is authenticated: returns when the session
    /// holds a slot; throws `busy` when its device already has a session or no slot came in
    /// time, `shutting_down` when the server stops meanwhile.
    func admit(_ session: SyncSession) throws(TransportError) {
        condition.lock()
        defer { condition.unlock() }
        try awaitEndOfOtherSession(from: session.stream.peerID, key: ObjectIdentifier(session))
        try awaitSlot(ObjectIdentifier(session))
    }

    /// One session per device. A device that connects again the moment its last session ended
    /// may find that session's thread still closing: it gets `sameDeviceGrace` before `busy`.
    private func awaitEndOfOtherSession(from device: DeviceID?, key: ObjectIdentifier) throws(TransportError) {
        let graceEnd = Self.date(after: Self.sameDeviceGrace)
        while !closed, let other = places.first(where: {
            $0.key != key && $0.value.stage != .handshake && !$0.value.leaving && $0.value.session.stream.peerID == device
        }) {
            guard Date() < graceEnd else {
                let since = (ContinuousClock.now - other.value.opened).milliseconds / 1000
                throw TransportError(.busy, "a session from this device is already running here (for \(since) s); one at a time: try again when it has ended")
            }
            _ = condition.wait(until: graceEnd)
        }
        guard !closed else { throw TransportError(.shuttingDown, "the server is shutting down") }
    }

    /// Queues for a slot, first come first served, making room while it waits.
    private func awaitSlot(_ key: ObjectIdentifier) throws(TransportError) {
        places[key]?.stage = .waiting
        queue.append(key)
        let deadline = Self.date(after: limits.slotWait)
        while true {
            let running = places.values.filter { $0.stage == .running && !$0.leaving }.count
            let admitted = !closed && queue.first == key && running < limits.maxSessions
            if closed || admitted || Date() >= deadline {
                queue.removeAll { $0 == key }
                condition.broadcast()
                if closed { throw TransportError(.shuttingDown, "the server is shutting down") }
                guard admitted else {
                    throw TransportError(.busy, "every session slot stayed taken for \(limits.slotWait.milliseconds) ms; try again in a minute")
                }
                places[key]?.stage = .running
                return
            }
            let room = makeRoom(freeSlots: limits.maxSessions - running)
            if !room.cut { _ = condition.wait(until: min(deadline, room.retry)) }
        }
    }

    /// Cuts the sessions that have waited longest on their peer without progress, past their
    /// allowance, until the waiting devices have a slot each. Returns whether it cut any, and
    /// when to look again.
    private func makeRoom(freeSlots: Int) -> (cut: Bool, retry: Date) {
        var needed = queue.count - freeSlots
        guard needed > 0 else { return (false, .distantFuture) }
        var soonest = limits.yieldAfterProgress
        var cut = false
        let candidates = places.filter { $0.value.stage == .running && !$0.value.leaving }.map { place in
            let stall = place.value.session.progressClock.stall
            // Steps 1 and 2 are the admission and the HELLO exchange. A thin session's progress
            // does not renew its allowance: only its total wait counts.
            let (waited, allowance): (Duration, Duration) =
                stall.bytesPerSecond < limits.thinBytesPerSecond ? (stall.totalWaited, limits.yieldAfter)
                : stall.steps > 2 ? (stall.waited, limits.yieldAfterProgress) : (stall.waited, limits.yieldAfter)
            return (key: place.key, session: place.value.session, waited: waited, left: allowance - waited)
        }.sorted { $0.left < $1.left }
        for candidate in candidates where needed > 0 {
            guard candidate.left <= .zero else {
                soonest = min(soonest, candidate.left)
                break
            }
            places[candidate.key]?.leaving = true
            candidate.session.cutOff("kept its session slot \(candidate.waited.milliseconds) ms without progress while another device waited for one")
            needed -= 1
            cut = true
        }
        return (cut, Self.date(after: max(.milliseconds(10), soonest)))
    }

    private static func date(after duration: Duration) -> Date {
        Date() + Double(duration.milliseconds + 1) / 1000
    }

    /// Called on the session's thread when its connection has ended.
    func closed(_ session: SyncSession) {
        condition.lock()
        places[ObjectIdentifier(session)] = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Admits connections again, after `close()`.
    func open() {
        condition.lock()
        closed = false
        condition.unlock()
    }

    /// Admits no one more; cuts connections not yet past HELLO (they hold no batch).
    func close() {
        condition.lock()
        closed = true
        for place in places.values where !place.session.isPastHello { place.session.stream.cut() }
        condition.broadcast()
        condition.unlock()
    }

    /// Cuts every connection left.
    func cutAll() {
        condition.lock()
        for place in places.values { place.session.stream.cut() }
        condition.unlock()
    }

    /// Waits until every connection has ended, or until `deadline` (nil: however long it takes);
    /// true when none is left.
    ///
    /// No deadline waits untimed, not until `.distantFuture`: Foundation on Linux converts the
    /// date to nanoseconds since 1970 in 64 bits and traps past the year 2262, which crashed
    /// `stop()` whenever a session outlived the shutdown grace.
    @discardableResult
    func waitUntilEmpty(until deadline: Date? = nil) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !places.isEmpty {
            if let deadline {
                guard condition.wait(until: deadline) else { break }
            } else {
                condition.wait()
            }
        }
        return places.isEmpty
    }
}
