#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The addresses of this machine that colleagues on the same network can reach.
///
/// `serve --bind 0.0.0.0` listens everywhere, but "0.0.0.0" is not an address anybody can sync
/// to; people need the one their colleague types (`sync 10.0.0.7:7420`), which few know how to
/// find. Interfaces that are up, not loopback; IPv4 first, then IPv6 other than link-local
/// (which needs an interface name to be typed).
enum LocalAddresses {
    static func reachable(includeIPv6: Bool) -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var v4: [String] = [], v6: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let flags = Int32(entry.pointee.ifa_flags)
            guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0, let address = entry.pointee.ifa_addr else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
                v4.append(String(cString: host))
            case AF_INET6 where includeIPv6:
                guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in6>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
                let text = String(cString: host)
                if !text.lowercased().hasPrefix("fe80") { v6.append("[\(text)]") }
            default:
                continue
            }
        }
        return Array(Set(v4)).sorted() + Array(Set(v6)).sorted()
    }

    /// Whether `bind` listens on every address rather than one.
    static func isWildcard(_ bind: String) -> Bool { ["0.0.0.0", "::", "[::]", ""].contains(bind) }

    /// Whether `bind` is reachable from this machine only.
    static func isLoopback(_ bind: String) -> Bool { bind.hasPrefix("127.") || bind == "::1" || bind == "localhost" }
}
