import Foundation
import Testing
import Transport

/// Devices on hosts of the test's own (network namespaces joined by a bridge): pairing finds the
/// device showing the code by itself, and the two then sync. Needs root and iproute2, as CI has.
@Suite("Across a local network", .enabled(if: NetworkLab.isAvailable, "needs root and iproute2 (ip netns) to make its own hosts"))
struct LocalNetworkTests {
    @Test("pair with only the code: the device showing it is found on the network, then they sync")
    func pairingFindsTheOtherDeviceByItself() throws {
        let lab = try NetworkLab(hosts: 2)
        let asha = try Sandbox(), ben = try Sandbox()
        #expect(try asha.run("init", "--name", "Asha").status == 0)
        #expect(try ben.run("init", "--name", "Ben").status == 0)
        let waiting = try lab.start(0, ["pair", "--store", asha.store.path, "--spaces", "team", "--yes"])
        defer { waiting.terminate() }
        let line = try #require(waiting.waitForLine(where: { $0.hasPrefix("pairing code: ") }), "\(waiting.stderr)")
        let code = String(line.dropFirst("pairing code: ".count))
        #expect(waiting.stdout.contains("--host \(lab.address(0))"))
        let joined = try lab.run(1, ["pair", code, "--store", ben.store.path, "--yes"])
        #expect(joined.status == 0 && joined.stdout.contains("trusted Asha"), "\(joined.stderr)")
        #expect(waiting.waitForExit() == 0, "\(waiting.stderr)")

        // They are peers: Ben syncs a note to Asha's device on the other host.
        let note = try ben.add("Across the bridge")
        let server = try lab.start(0, ["serve", "--store", asha.store.path, "--bind", "0.0.0.0", "--port", "0"])
        defer { server.terminate() }
        let listening = try #require(server.waitForLine(where: { $0.hasPrefix("listening on ") }), "\(server.stderr)")
        let port = try #require(listening.split(separator: ":").last.map(String.init))
        let synced = try lab.run(1, ["sync", "\(lab.address(0)):\(port)", "--store", ben.store.path])
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(try asha.noteIDs().contains(note))
    }

    @Test("sync NAME and sync alone find trusted peers by their announcements, with no address ever typed")
    func syncFindsPeersByName() throws {
        let lab = try NetworkLab(hosts: 3)
        let asha = try Sandbox(), ben = try Sandbox(), cara = try Sandbox()
        for (a, b, name) in [(cara, asha, "Asha"), (asha, cara, "Cara"), (cara, ben, "Ben"), (ben, cara, "Cara")] {
            try a.trust(b, as: name, spaces: "team")
        }
        let notes = [try asha.add("From Asha"), try ben.add("From Ben")]
        let servers = try [(0, asha), (1, ben)].map { host, sandbox in
            try lab.start(host, ["serve", "--store", sandbox.store.path, "--bind", "0.0.0.0", "--port", "0"])
        }
        defer { servers.forEach { $0.terminate() } }
        for server in servers { #expect(server.waitForLine(where: { $0.hasPrefix("listening on ") }) != nil, "\(server.stderr)") }

        let byName = try lab.run(2, ["sync", "asha", "--store", cara.store.path])
        #expect(byName.status == 0 && byName.stdout.contains(lab.address(0)), "\(byName.stderr)")
        let everyone = try lab.run(2, ["sync", "--store", cara.store.path, "--json"])
        #expect(everyone.status == 0, "\(everyone.stderr)")
        let results = try #require(try everyone.json() as? [[String: Any]])
        #expect(results.count == 2 && results.allSatisfy { $0["result"] as? String == "synced" }, "\(results)")
        let held = try cara.noteIDs()
        #expect(notes.allSatisfy(held.contains))
        // What each was reached at is remembered: the next sync goes there even without announcements.
        let peers = try #require(try cara.run("peers", "list", "--json").json() as? [[String: Any]])
        #expect(Set(peers.compactMap { $0["last_address"] as? String }.map { String($0.split(separator: ":")[0]) })
                == [lab.address(0), lab.address(1)])
    }

    @Test("a device announces itself only over the families it listens on, so nobody finds it where nothing listens")
    func announcementsGoWhereTheDeviceListens() throws {
        let lab = try NetworkLab(hosts: 3)
        try lab.waitForLinkLocal()  // IPv6 works on the bridge too: an IPv6 announcement would arrive
        let ipv4Only = try Sandbox(), both = try Sandbox()
        let servers = try [(0, ipv4Only, "0.0.0.0"), (1, both, "::")].map { host, sandbox, bind in
            try lab.start(host, ["serve", "--store", sandbox.store.path, "--bind", bind, "--port", "0"])
        }
        defer { servers.forEach { $0.terminate() } }
        let ports = try servers.map { server in
            let line = try #require(server.waitForLine(where: { $0.hasPrefix("listening on ") }), "\(server.stderr)")
            return try #require(line.split(separator: ":").last.flatMap { UInt16($0) })
        }
        // Two announcement intervals and more, from a third host: who is heard, and from where.
        let heard = try lab.inside(2) {
            var heard: [UInt16: Set<String>] = [:]
            try LocalDiscovery.listen(for: .milliseconds(4_500)) { announcement, host in
                heard[announcement.port, default: []].insert(host.contains(":") ? "IPv6" : "IPv4")
                return false
            }
            return heard
        }
        #expect(heard[ports[0]] == ["IPv4"], "listening on 0.0.0.0: \(heard)")
        #expect(heard[ports[1]] == ["IPv4", "IPv6"], "listening on :: (both families): \(heard)")
    }

    @Test("on a network with IPv6 link-local addresses only, pairing and sync by name find the other device")
    func ipv6LinkLocalOnly() throws {
        let lab = try NetworkLab(hosts: 2, ipv4: false)
        let asha = try Sandbox(), ben = try Sandbox()
        let waiting = try lab.start(0, ["pair", "--store", asha.store.path, "--bind", "::", "--spaces", "team", "--name", "Ben", "--yes"])
        defer { waiting.terminate() }
        let line = try #require(waiting.waitForLine(where: { $0.hasPrefix("pairing code: ") }), "\(waiting.stderr)")
        let code = String(line.dropFirst("pairing code: ".count))
        let joined = try lab.run(1, ["pair", code, "--store", ben.store.path, "--name", "Asha", "--yes"])
        #expect(joined.status == 0, "\(joined.stderr)")
        #expect(waiting.waitForExit() == 0, "\(waiting.stderr)")

        let note = try asha.add("Over IPv6")
        let server = try lab.start(0, ["serve", "--store", asha.store.path, "--bind", "::", "--port", "0"])
        defer { server.terminate() }
        #expect(server.waitForLine(where: { $0.hasPrefix("listening on ") }) != nil, "\(server.stderr)")
        let synced = try lab.run(1, ["sync", "Asha", "--store", ben.store.path])
        #expect(synced.status == 0 && synced.stdout.contains("fe80::"), "\(synced.stdout) \(synced.stderr)")
        #expect(try ben.noteIDs().contains(note))
    }

    @Test("a code nobody shows is not found: the joiner says so and trusts nothing")
    func aCodeNobodyShowsIsNotFound() throws {
        let lab = try NetworkLab(hosts: 2)
        let ben = try Sandbox()
        let result = try lab.run(1, ["pair", "12-able-above-zone", "--store", ben.store.path, "--yes"])
        #expect(result.status == 5 && result.stderr.contains("no device showing the code"), "\(result.stderr)")
        #expect((try ben.run("peers", "list", "--json").json() as? [Any])?.isEmpty == true)
    }
}
