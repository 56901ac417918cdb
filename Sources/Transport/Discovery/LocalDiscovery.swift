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

    /// The IPv6 group announcements go to: link-local scope, so they never leave the link.
    static let group6 = "ff12::7422"

    /// Listens for up to `duration` on IPv4 (broadcast) and IPv6 (the link-local group on every
    /// interface), passing each announcement and the address it came from (an IPv6 link-local
    /// address with its interface, `fe80::1%eth0`) to `found` until it returns true.
    public static func listen(for duration: Duration, port: UInt16 = port, found: (Announcement, String) -> Bool) throws(TransportError) {
        let sockets = [try listening4(port), listening6(port)].compactMap { $0 }
        defer { sockets.forEach { close($0) } }
        let deadline = ContinuousClock.now + duration
        var buffer = [UInt8](repeating: 0, count: 512)
        while ContinuousClock.now < deadline {
            let left = deadline - ContinuousClock.now
            var pollers = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            guard poll(&pollers, nfds_t(pollers.count), milliseconds) > 0 else { continue }
            for poller in pollers where poller.revents & Int16(POLLIN) != 0 {
                var source = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = withUnsafeMutablePointer(to: &source) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(poller.fd, &buffer, buffer.count, 0, $0, &length) }
                }
                guard count > 0, let announcement = Announcement.decode(Array(buffer.prefix(count))), let host = numericHost(&source, length) else { continue }
                if found(announcement, host) { return }
            }
        }
    }

    private static func listening4(_ port: UInt16) throws(TransportError) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TransportError(.cannotListen, "discovery: cannot open a UDP socket: \(Sockets.errorText())") }
        shareable(descriptor)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = INADDR_ANY
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw TransportError(.cannotListen, "discovery: cannot listen on UDP port \(port): \(Sockets.errorText())")
        }
        return descriptor
    }

    /// Nil where IPv6 is off: IPv4 alone still discovers.
    private static func listening6(_ port: UInt16) -> Int32? {
        let descriptor = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        shareable(descriptor)
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        address.sin6_addr = in6addr_any
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        guard bound == 0 else { close(descriptor); return nil }
        var group = in6_addr()
        inet_pton(AF_INET6, group6, &group)
        for index in multicastInterfaces() {
            var request = ipv6_mreq(ipv6mr_multiaddr: group, ipv6mr_interface: UInt32(index))
            setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_ADD_MEMBERSHIP, &request, socklen_t(MemoryLayout<ipv6_mreq>.size))
        }
        return descriptor
    }

    /// Several fieldnote processes on one machine may all listen: each gets every announcement.
    private static func shareable(_ descriptor: Int32) {
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// `10.0.0.7`, or `fe80::1%eth0` (a link-local address is reachable only through its interface).
    private static func numericHost(_ source: inout sockaddr_storage, _ length: socklen_t) -> String? {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = withUnsafePointer(to: &source) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            }
        }
        return status == 0 ? String(cString: host) : nil
    }

    /// The indexes of the interfaces that are up, not loopback, multicast-capable and within `reach`.
    static func multicastInterfaces(within reach: AnnouncementReach = .everywhere) -> [Int32] {
        var list: UnsafeMutablePointer<ifaddrs>? = nil
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var indexes = Set<Int32>()
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            cursor = entry.pointee.ifa_next
            let flags = Int32(entry.pointee.ifa_flags)
            guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_MULTICAST) != 0, flags & Int32(IFF_LOOPBACK) == 0,
                  let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET6),
                  reach.includes(String(cString: entry.pointee.ifa_name)) else { continue }
            let index = Int32(if_nametoindex(entry.pointee.ifa_name))
            if index > 0 { indexes.insert(index) }
        }
        return indexes.sorted()
    }

    /// Sends `announcement` once to the broadcast address of every IPv4 interface that has one
    /// (loopback has none: a device on the same machine is reached by its address), and to the
    /// IPv6 link-local group on every multicast interface: each only where `reach` says the
    /// device accepts connections, since a peer connects to where the announcement came from.
    static func broadcast(_ announcement: Announcement, port: UInt16 = port, within reach: AnnouncementReach) {
        if reach.ipv4 { broadcast4(announcement, port: port, within: reach) }
        if reach.ipv6 { multicast6(announcement, port: port, within: reach) }
    }

    private static func multicast6(_ announcement: Announcement, port: UInt16, within reach: AnnouncementReach) {
        let descriptor = socket(AF_INET6, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = announcement.encode()
        var target = sockaddr_in6()
        target.sin6_family = sa_family_t(AF_INET6)
        target.sin6_port = port.bigEndian
        inet_pton(AF_INET6, group6, &target.sin6_addr)
        for index in multicastInterfaces(within: reach) {
            var interface = UInt32(index)
            setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_MULTICAST_IF, &interface, socklen_t(MemoryLayout<UInt32>.size))
            target.sin6_scope_id = UInt32(index)
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }

    private static func broadcast4(_ announcement: Announcement, port: UInt16, within reach: AnnouncementReach) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_BROADCAST, &one, socklen_t(MemoryLayout<Int32>.size))
        let bytes = announcement.encode()
        for var target in broadcastAddresses(within: reach) {
            target.sin_port = port.bigEndian
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    static func broadcastAddresses(within reach: AnnouncementReach) -> [sockaddr_in] {
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
                  reach.includes(String(cString: entry.pointee.ifa_name)),
                  let broadcast = entry.pointee.ifa_ifu.ifu_broadaddr else { continue }
            targets.append(broadcast.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee })
        }
        return targets
    }
}

/// Announces one device (or one pairing) every `LocalDiscovery.interval` on a thread of its own,
/// until stopped, where its listener can be reached.
///
/// Sendable: `stopped` is read and written only under `lock`; the rest never changes.
public final class Announcer: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private let make: @Sendable (UInt64) -> Announcement
    private let port: UInt16
    private let reach: AnnouncementReach

    /// `make` gives the announcement of a window (its tag changes with the window); `reach` is
    /// what the announced listener accepts (`SyncServer.reach`, or what pairing's listener says).
    public init(port: UInt16 = LocalDiscovery.port, reach: AnnouncementReach, _ make: @escaping @Sendable (UInt64) -> Announcement) {
        self.make = make
        self.port = port
        self.reach = reach
    }

    public func start() {
        let thread = Thread { [self] in
            while !isStopped {
                LocalDiscovery.broadcast(make(Announcement.window(at: Date())), port: port, within: reach)
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
