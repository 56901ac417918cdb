import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Transport

/// A TCP proxy on 127.0.0.1 between a sync client and a server that breaks the byte stream on
/// purpose, the way a bad network does: it cuts the connection at a byte offset, stalls at one,
/// or flips a byte. Each connection it accepts takes the next plan from a seeded list, so a
/// failing trial can be run again from its seed.
///
/// Sendable: the plan queue and the descriptors of live connections are touched only under
/// `lock`; each connection's two pumps own their buffers.
final class FaultProxy: @unchecked Sendable {
    enum Direction: String, Sendable { case toServer = "client→server", toClient = "server→client" }
    enum Fault: Sendable, CustomStringConvertible {
        case cut
        case stall(milliseconds: Int)
        /// XOR the byte with a non-zero mask.
        case flip(mask: UInt8)

        var description: String {
            switch self {
            case .cut: "cut"
            case .stall(let milliseconds): "stall \(milliseconds) ms"
            case .flip(let mask): "flip ^0x\(String(mask, radix: 16))"
            }
        }
    }
    struct Plan: Sendable, CustomStringConvertible {
        var direction: Direction
        var offset: Int
        var fault: Fault
        var description: String { "\(fault) at byte \(offset) \(direction.rawValue)" }
    }

    private let target: UInt16
    private let listener: Int32
    let port: UInt16
    private let lock = NSLock()
    private var plans: [[Plan]] = []
    private var open: Set<Int32> = []
    private var stopped = false
    /// Faults that actually fired (the stream reached their offset).
    var fired: [Plan] { lock.lock(); defer { lock.unlock() }; return firedPlans }
    /// Bytes forwarded in each direction, over every connection so far.
    var traffic: (toServer: Int, toClient: Int) { lock.lock(); defer { lock.unlock() }; return (bytesUp, bytesDown) }
    private var bytesUp = 0
    private var bytesDown = 0
    private var firedPlans: [Plan] = []
    private let acceptDone = DispatchSemaphore(value: 0)

    init(forwardingTo target: UInt16) throws {
        self.target = target
        (listener, port) = try Sockets.listen(host: "127.0.0.1", port: 0)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fault-proxy.accept"
        thread.start()
    }

    /// Plans for the next connection accepted (several faults may apply to one connection).
    func next(_ plans: [Plan]) { lock.lock(); self.plans.append(plans); lock.unlock() }

    func stop() {
        lock.lock()
        stopped = true
        for descriptor in open { shutdown(descriptor, Int32(SHUT_RDWR)) }
        lock.unlock()
        acceptDone.wait()
        close(listener)
    }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func acceptLoop() {
        while !isStopped {
            guard let client = Sockets.accept(listener, waitingAtMost: 20) else { continue }
            guard let server = try? Sockets.connect(host: "127.0.0.1", port: target, timeout: .seconds(2)) else {
                close(client); continue
            }
            lock.lock()
            let plan = plans.isEmpty ? [] : plans.removeFirst()
            open.formUnion([client, server])
            lock.unlock()
            let connection = Connection(client: client, server: server, plans: plan, proxy: self)
            connection.start()
        }
        acceptDone.signal()
    }

    fileprivate func count(_ bytes: Int, _ direction: Direction) {
        lock.lock()
        if direction == .toServer { bytesUp += bytes } else { bytesDown += bytes }
        lock.unlock()
    }

    fileprivate func record(_ plan: Plan) { lock.lock(); firedPlans.append(plan); lock.unlock() }

    fileprivate func closed(_ descriptors: [Int32]) {
        lock.lock()
        for descriptor in descriptors where open.remove(descriptor) != nil { close(descriptor) }
        lock.unlock()
    }

    /// One proxied connection: a pump thread per direction. When either direction ends (EOF,
    /// error, or a planned cut) both sockets are shut down, so the other pump ends too.
    private final class Connection: @unchecked Sendable {
        let client: Int32
        let server: Int32
        let plans: [Plan]
        /// Strong: the pumps may outlive `stop()` by a moment and still report to it.
        let proxy: FaultProxy
        private let finished = DispatchGroup()

        init(client: Int32, server: Int32, plans: [Plan], proxy: FaultProxy) {
            self.client = client
            self.server = server
            self.plans = plans
            self.proxy = proxy
        }

        func start() {
            for direction in [Direction.toServer, .toClient] {
                finished.enter()
                let thread = Thread { [self] in
                    pump(direction)
                    finished.leave()
                }
                thread.name = "fault-proxy.\(direction == .toServer ? "up" : "down")"
                thread.start()
            }
            finished.notify(queue: .global()) { [self] in proxy.closed([client, server]) }
        }

        private func pump(_ direction: Direction) {
            let (from, to) = direction == .toServer ? (client, server) : (server, client)
            var pending = plans.filter { $0.direction == direction }.sorted { $0.offset < $1.offset }
            var offset = 0
            var buffer = [UInt8](repeating: 0, count: 4096)
            defer {
                shutdown(client, Int32(SHUT_RDWR))
                shutdown(server, Int32(SHUT_RDWR))
            }
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return }
                var chunk = Array(buffer[0..<count])
                var start = 0
                while let plan = pending.first, plan.offset < offset + chunk.count {
                    pending.removeFirst()
                    let index = max(0, plan.offset - offset)
                    proxy.record(plan)
                    switch plan.fault {
                    case .cut:
                        _ = send(to, Array(chunk[start..<index]))
                        return
                    case .stall(let milliseconds):
                        guard send(to, Array(chunk[start..<index])) else { return }
                        start = index
                        usleep(UInt32(milliseconds) * 1000)
                    case .flip(let mask):
                        chunk[index] ^= mask
                    }
                }
                guard send(to, Array(chunk[start...])) else { return }
                offset += count
                proxy.count(count, direction)
            }
        }

        private func send(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
            var done = 0
            while done < bytes.count {
                let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { return false }
                done += sent
            }
            return true
        }
    }
}
