import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Local discovery over UDP broadcast on IPv4 (Protocol.md 5), in the manner of Syncthing's:
/// announcers send a datagram to every interface's broadcast address every few seconds; a
/// device looking for a peer listens on the same port and keeps the ones it recognises. A hint
/// only: the TLS handshake still decides who is who.
public enum LocalDiscovery {
    public static let port: UInt16 = 7422
    /// How often an announcer speaks.
    public static let interval: Duration = .seconds(2)

    /// Listens for up to `duration`, passing each announcement and the address it came from to
    /// `found` until it returns true (nothing more is wanted).
    public static func listen(for duration: Duration, port: UInt16 = port, found: (Announcement, String) -> Bool) throws(TransportError) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TransportError(.cannotListen, "discovery: cannot open a UDP socket: \(Sockets.errorText())") }
        defer { close(descriptor) }
        var one: Int32 = 1
        // Several fieldnote processes on one machine may all listen: each gets every broadcast.
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = INADDR_ANY
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TransportError(.cannotListen, "discovery: cannot listen on UDP port \(port): \(Sockets.errorText())") }
        let deadline = ContinuousClock.now + duration
        var buffer = [UInt8](repeating: 0, count: 512)
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            guard poll(&poller, 1, milliseconds) > 0 else { continue }
            var source = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &source) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, &buffer, buffer.count, 0, $0, &length) }
            }
            guard count > 0, let announcement = Announcement.decode(Array(buffer.prefix(count))) else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &source.sin_addr, &text, socklen_t(text.count))
            if found(announcement, String(cString: text)) { return }
        }
    }

    /// Sends `announcement` once to the broadcast address of every IPv4 interface that has one
    /// (loopback has none: a device on the same machine is reached by its address).
    static func broadcast(_ announcement: Announcement, port: UInt16 = port) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_BROADCAST, &one, socklen_t(MemoryLayout<Int32>.size))
        let bytes = announcement.encode()
        for var target in broadcastAddresses() {
            target.sin_port = port.bigEndian
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    static func broadcastAddresses() -> [sockaddr_in] {
        var list: UnsafeMutablePointer<ifaddrs>? = nil
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var targets: [sockaddr_in] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            cursor = entry.pointee.ifa_next
            let flags = Int32(entry.pointee.ifa_flags)
            guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_BROADCAST) != 0, flags & Int32(IFF_LOOPBACK) == 0,
                  let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                  let broadcast = entry.pointee.ifa_ifu.ifu_broadaddr else { continue }
            targets.append(broadcast.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee })
        }
        return targets
    }
}

/// Announces one device (or one pairing) every `LocalDiscovery.interval` on a thread of its own,
/// until stopped.
///
/// Sendable: `stopped` is read and written only under `lock`; the rest never changes.
public final class Announcer: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private let make: @Sendable (UInt64) -> Announcement
    private let port: UInt16

    /// `make` gives the announcement of a window (its tag changes with the window).
    public init(port: UInt16 = LocalDiscovery.port, _ make: @escaping @Sendable (UInt64) -> Announcement) {
        self.make = make
        self.port = port
    }

    public func start() {
        let thread = Thread { [self] in
            while !isStopped {
                LocalDiscovery.broadcast(make(Announcement.window(at: Date())), port: port)
                Thread.sleep(forTimeInterval: 2)
            }
        }
        thread.stackSize = 256 << 10
        thread.start()
    }

    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }
}
