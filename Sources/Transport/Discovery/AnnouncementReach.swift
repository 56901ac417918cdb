import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a listening socket can be reached, so that a device announces itself only where a peer
/// hearing it can connect (Protocol.md 5). A peer connects to the address an announcement came
/// from, so an IPv6 announcement from a device listening on 0.0.0.0 sends it to an address where
/// nothing listens, and it fails to sync although the device is right there.
public struct AnnouncementReach: Sendable, Equatable {
    /// Connections to the device's IPv4 addresses are accepted.
    public var ipv4: Bool
    /// Connections to the device's IPv6 addresses are accepted.
    public var ipv6: Bool
    /// The interface holding the one address listened on; nil when every address is.
    public var interface: String?

    /// Every address of both families: where a listener accepts anything.
    public static let everywhere = AnnouncementReach(ipv4: true, ipv6: true)

    public init(ipv4: Bool, ipv6: Bool, interface: String? = nil) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.interface = interface
    }

    /// What `listener` (bound and listening) accepts: `0.0.0.0` every IPv4 address; `::` every
    /// IPv6 address and, unless the socket is IPv6-only, every IPv4 one; one address only that
    /// address's family, on its interface.
    init(listener: Int32) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        guard named == 0 else { self.init(ipv4: false, ipv6: false); return }
        if storage.ss_family == sa_family_t(AF_INET) {
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self).sin_addr }
            let any = address.s_addr == INADDR_ANY
            self.init(ipv4: true, ipv6: false, interface: any ? nil : Self.interface(holding: withUnsafeBytes(of: address) { Array($0) }, family: AF_INET))
            return
        }
        let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self).sin6_addr }
        let bytes = withUnsafeBytes(of: address) { Array($0) }
        if bytes.allSatisfy({ $0 == 0 }) {
            var only: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(listener, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &only, &size)
            self.init(ipv4: only == 0, ipv6: true)
        } else if bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] {
            // An IPv4 address written as IPv6 (`::ffff:10.0.0.7`): reached over IPv4.
            self.init(ipv4: true, ipv6: false, interface: Self.interface(holding: Array(bytes.suffix(4)), family: AF_INET))
        } else {
            self.init(ipv4: false, ipv6: true, interface: Self.interface(holding: bytes, family: AF_INET6))
        }
    }

    /// Whether announcements go out of the interface `name`.
    func includes(_ name: String) -> Bool { interface.map { $0 == name } ?? true }

    /// The name of the interface with the address `bytes` (4 for IPv4, 16 for IPv6).
    private static func interface(holding bytes: [UInt8], family: Int32) -> String? {
        var list: UnsafeMutablePointer<ifaddrs>? = nil
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            cursor = entry.pointee.ifa_next
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(family) else { continue }
            let held = family == AF_INET
                ? address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) } }
                : address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) } }
            if held == bytes { return String(cString: entry.pointee.ifa_name) }
        }
        return nil
    }
}
