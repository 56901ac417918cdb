import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on 127.0.0.1 that holds every chunk of bytes for half a round trip in each
/// direction, keeping their order, with no bandwidth limit: a slow link, so that the sync
/// benchmark can count how many round trips a session waits for.
///
/// Each accepted connection is joined to the target port by a connection of its own, made at
/// once. Each direction has two threads: one reads chunks as they arrive and stamps each with the
/// moment it may leave, the other sends each at that moment. Reading never waits for the delay,
/// so bytes sent one after another overlap in flight as on a real link, and a stream of batches
/// costs one delay, not one per chunk. Connecting to the proxy is not delayed (the handshake is
/// between the client and the proxy's listening socket): a session's time through the proxy
/// counts from an open connection.
final class DelayingProxy: @unchecked Sendable {
    struct ProxyError: Error, CustomStringConvertible {
        var description: String
    }

    /// The port the proxy listens on (chosen by the system).
    let port: UInt16
    private let listener: Int32
    private let targetPort: UInt16
    private let oneWay: Duration
    private let lock = NSLock()
    private var open: Set<Int32> = []
    private var stopped = false

    /// Starts listening and accepting; `roundTrip` is split evenly between the two directions.
    init(targetPort: UInt16, roundTrip: Duration) throws {
        self.targetPort = targetPort
        oneWay = roundTrip / 2
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listening >= 0 else { throw ProxyError(description: "socket: \(String(cString: strerror(errno)))") }
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listening, 16) == 0 else {
            close(listening)
            throw ProxyError(description: "bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) }
        }
        listener = listening
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in acceptLoop() }.start()
    }

    /// Stops accepting and cuts every connection still open.
    func stop() {
        lock.lock()
        stopped = true
        let sockets = open
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for descriptor in sockets { shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: targetPort)
            let connected = server >= 0 && withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
            guard connected, register([client, server]) else {
                close(client)
                if server >= 0 { close(server) }
                continue
            }
            let ends = PairedSockets(client: client, server: server) { [self] in unregister([client, server]) }
            for (from, to) in [(client, server), (server, client)] {
                let pipe = DelayedChunks()
                Thread { [oneWay] in pipe.read(from: from, delay: oneWay) }.start()
                Thread { pipe.send(to: to, cutting: ends) }.start()
            }
        }
    }

    private func register(_ sockets: [Int32]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return false }
        for descriptor in sockets {
            var one: Int32 = 1
            // Without it, small frames wait for the peer's delayed acknowledgement: 40 ms that are not the link's.
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            open.insert(descriptor)
        }
        return true
    }

    private func unregister(_ sockets: [Int32]) {
        lock.lock()
        defer { lock.unlock() }
        for descriptor in sockets { open.remove(descriptor) }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// The two sockets of one proxied connection, closed when both directions have ended.
private final class PairedSockets: @unchecked Sendable {
    private let client: Int32
    private let server: Int32
    private let lock = NSLock()
    private var directionsLeft = 2
    private let onClose: () -> Void

    init(client: Int32, server: Int32, onClose: @escaping () -> Void) {
        self.client = client
        self.server = server
        self.onClose = onClose
    }

    /// A write failed: both peers learn at once, as when a link drops.
    func cut() {
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(server, Int32(SHUT_RDWR))
    }

    func directionEnded() {
        lock.lock()
        directionsLeft -= 1
        let last = directionsLeft == 0
        lock.unlock()
        guard last else { return }
        onClose()
        close(client)
        close(server)
    }
}

/// One direction of a connection: chunks read, each with the moment it may be sent, in order.
private final class DelayedChunks: @unchecked Sendable {
    private let condition = NSCondition()
    /// nil bytes: the sender closed its side.
    private var queue: [(due: ContinuousClock.Instant, bytes: [UInt8]?)] = []
    private var head = 0

    func read(from descriptor: Int32, delay: Duration) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            let due = ContinuousClock.now + delay
            append(due, count > 0 ? Array(buffer[0..<count]) : nil)
            if count <= 0 { return }
        }
    }

    func send(to descriptor: Int32, cutting ends: PairedSockets) {
        defer { ends.directionEnded() }
        while true {
            let (due, bytes) = next()
            let wait = ContinuousClock.now.duration(to: due)
            if wait > .zero {
                let (seconds, attoseconds) = wait.components
                var time = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
                var left = timespec()
                while nanosleep(&time, &left) != 0 && errno == EINTR { time = left }
            }
            guard let bytes else {
                shutdown(descriptor, Int32(SHUT_WR))
                return
            }
            guard Self.sendAll(bytes, to: descriptor) else {
                ends.cut()
                return
            }
        }
    }

    private func append(_ due: ContinuousClock.Instant, _ bytes: [UInt8]?) {
        condition.lock()
        queue.append((due, bytes))
        condition.signal()
        condition.unlock()
    }

    private func next() -> (ContinuousClock.Instant, [UInt8]?) {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count { condition.wait() }
        let chunk = queue[head]
        head += 1
        if head > 1_024 {
            queue.removeFirst(head)
            head = 0
        }
        return chunk
    }

    private static func sendAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}
