import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Transport

/// A device announces itself only where it accepts connections: what each kind of bind accepts.
@Suite("Where announcements go")
struct AnnouncementReachTests {
    /// What a listener bound to `host` accepts, or nil where this machine cannot bind it.
    private func reach(listeningOn host: String) -> AnnouncementReach? {
        guard let (listener, _) = try? Sockets.listen(host: host, port: 0) else { return nil }
        defer { close(listener) }
        return AnnouncementReach(listener: listener)
    }

    @Test("0.0.0.0 is every IPv4 address and no IPv6 one")
    func everyIPv4Address() throws {
        #expect(try #require(reach(listeningOn: "0.0.0.0")) == AnnouncementReach(ipv4: true, ipv6: false))
    }

    @Test("one address is its family, on its interface only")
    func oneAddress() throws {
        let loopback = try #require(reach(listeningOn: "127.0.0.1"))
        #expect(loopback.ipv4 && !loopback.ipv6)
        let interface = try #require(loopback.interface, "127.0.0.1 is held by an interface")
        #expect(loopback.includes(interface) && !loopback.includes(interface + "x"))
        if let six = reach(listeningOn: "::1") {
            #expect(!six.ipv4 && six.ipv6 && six.interface == interface)
        }
    }

    @Test(":: is every IPv6 address, and every IPv4 one unless the socket is IPv6-only")
    func everyAddress() throws {
        guard let (listener, _) = try? Sockets.listen(host: "::", port: 0) else { return }
        defer { close(listener) }
        var only: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(listener, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &only, &size)
        #expect(AnnouncementReach(listener: listener) == AnnouncementReach(ipv4: only == 0, ipv6: true))
    }

    @Test("announcements go out of the listening address's interface only")
    func onlyOutOfTheListeningInterface() {
        #expect(LocalDiscovery.multicastInterfaces(within: AnnouncementReach(ipv4: true, ipv6: true, interface: "no-such-interface")).isEmpty)
        #expect(LocalDiscovery.broadcastAddresses(within: AnnouncementReach(ipv4: true, ipv6: false, interface: "no-such-interface")).isEmpty)
    }
}
