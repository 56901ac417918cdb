import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `sync NAME` and `sync` alone: the address a sync reached a peer at is remembered, and used
/// next time. Real processes, real TLS, 127.0.0.1, ports picked by the system.
@Suite("sync by name")
struct SyncByNameTests {
    @Test("sync by address, then by name, id and any case; peers list shows where and when")
    func addressThenName() throws {
        let (asha, ben) = try trustedPair()
        _ = try asha.add("Referral screened by an agency worker")
        let server = try ServerProcess(ben)
        defer { server.terminate() }
        let first = try asha.run("sync", server.address)
        #expect(first.status == 0, "\(first.stderr)")

        let fromBen = try ben.add("Duty manager off sick")
        let byName = try asha.run("sync", "bea", "--json")
        #expect(byName.status == 0, "\(byName.stderr)")
        let summary = try #require(try byName.json() as? [String: Any])
        #expect(summary["peer_name"] as? String == "Bea")
        #expect(summary["address"] as? String == server.address)
        #expect((summary["received"] as? [String: Any])?["applied"] as? Int ?? 0 > 0, "\(summary)")
        #expect(try asha.noteIDs().contains(fromBen))
        let byID = try asha.run("sync", try ben.deviceID())
        #expect(byID.status == 0, "\(byID.stderr)")
        #expect(byID.stdout.contains("synced with Bea"), "\(byID.stdout)")

        let peers = try #require(try asha.peers("list", "--json").json() as? [[String: Any]])
        let bea = try #require(peers.first)
        #expect(bea["last_address"] as? String == server.address)
        let when = try #require(bea["last_sync"] as? String)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(formatter.date(from: when), "\(when)")
        #expect(abs(date.timeIntervalSinceNow) < 120, "\(when)")
        let table = try asha.run(["peers", "list"], environment: ["COLUMNS": "200"])
        #expect(table.stdout.contains("LAST SYNC") && table.stdout.contains("just now at \(server.address)"), "\(table.stdout)")

        // Changing Bea's grants keeps where she was reached.
        #expect(try asha.peers("add", try ben.deviceID(), "--name", "Bea", "--spaces", "team").status == 0)
        let again = try #require(try asha.peers("list", "--json").json() as? [[String: Any]])
        #expect(again.first?["last_address"] as? String == server.address)
        // The server learned no address of Asha's: it never wrote one.
        let serverSide = try #require(try ben.peers("list", "--json").json() as? [[String: Any]])
        #expect(serverSide.first?["last_address"] is NSNull, "\(serverSide)")
    }

    @Test("a name with no address, or no peer at all, is refused in two lines and changes nothing")
    func nameWithoutAddress() throws {
        let (asha, ben) = try trustedPair()
        _ = try asha.add("A note that stays here")
        let before = try asha.snapshot()

        let noAddress = try asha.run("sync", "Bea")
        #expect(noAddress.status == 3, "\(noAddress.status): \(noAddress.stderr)")
        #expect(noAddress.stderrLines.count == 2, "\(noAddress.stderr)")
        #expect(noAddress.stderrLines.first?.hasPrefix("error: no address is known for Bea") == true, "\(noAddress.stderr)")
        #expect(noAddress.stderrLines.last?.hasPrefix("hint: sync once with Bea's address") == true, "\(noAddress.stderr)")
        #expect(noAddress.stderrLines.last?.contains("fieldnote sync HOST:PORT") == true, "\(noAddress.stderr)")
        #expect(noAddress.stdout.isEmpty)

        let typo = try asha.run("sync", "Bae")
        #expect(typo.status == 4, "\(typo.status): \(typo.stderr)")
        #expect(typo.stderrLines.count == 2, "\(typo.stderr)")
        #expect(typo.stderr.contains("did you mean \"Bea\"?"), "\(typo.stderr)")

        let nobody = try asha.run("sync")
        #expect(nobody.status == 3, "\(nobody.status): \(nobody.stderr)")
        #expect(nobody.stdout.contains("Bea: skipped, not found on this network, and no address yet"), "\(nobody.stdout)")

        #expect(try asha.snapshot() == before, "a refused sync changes nothing")
        #expect(try ben.noteIDs().isEmpty)
    }

    @Test("sync alone: two servers sync, a third is unreachable, one line each, and exit 5")
    func everyPeer() throws {
        let asha = try Sandbox(), ben = try Sandbox(), cleo = try Sandbox(), dev = try Sandbox(), eve = try Sandbox()
        for (other, name) in [(ben, "Ben"), (cleo, "Cleo"), (dev, "Dev"), (eve, "Eve")] {
            try asha.trust(other, as: name)
            try other.trust(asha, as: "Asha")
        }
        let servers = try [ben, cleo, dev].map { try ServerProcess($0) }
        defer { servers.forEach { $0.terminate() } }
        for server in servers { try asha.syncOK(server) }
        servers[2].terminate()

        let note = try asha.add("Caseload 31 this week")
        let result = try asha.run("sync")
        #expect(result.status == 5, "\(result.status): \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stdout)")
        for name in ["Ben", "Cleo"] {
            #expect(lines.first { $0.hasPrefix("\(name): sent ") && !$0.hasPrefix("\(name): sent 0 ops") } != nil, "\(result.stdout)")
        }
        #expect(lines.last?.hasPrefix("Eve: skipped") == true, "\(result.stdout)")
        #expect(result.stderrLines.count == 2, "\(result.stderr)")
        #expect(result.stderrLines.first?.hasPrefix("error: cannot reach Dev at \(servers[2].address)") == true, "\(result.stderr)")
        #expect(result.stderrLines.last?.hasPrefix("hint: ") == true, "\(result.stderr)")
        #expect(try ben.noteIDs() == [note] && cleo.noteIDs() == [note])

        let json = try asha.run("sync", "--json")
        #expect(json.status == 5, "\(json.stderr)")
        let results = try #require(try json.json() as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0["peer_name"] as? String ?? "?", $0) })
        #expect(byName.mapValues { $0["result"] as? String } == ["Ben": "synced", "Cleo": "synced", "Dev": "failed", "Eve": "skipped"])
        #expect(byName["Dev"]?["exit_status"] as? Int == 5)
        #expect(byName["Dev"]?["address"] as? String == servers[2].address)

        // Without the unreachable one, every peer tried synced: exit 0, the skipped one aside.
        #expect(try asha.peers("rm", "Dev").status == 0)
        let rest = try asha.run("sync")
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(rest.stdout.split(separator: "\n").count == 3, "\(rest.stdout)")
    }

    @Test("another device now at a peer's address is refused for that peer, before any note moves")
    func anotherDeviceAtTheAddress() throws {
        let asha = try Sandbox(), ben = try Sandbox(), cleo = try Sandbox()
        for (other, name) in [(ben, "Ben"), (cleo, "Cleo")] {
            try asha.trust(other, as: name)
            try other.trust(asha, as: "Asha")
        }
        let benServer = try ServerProcess(ben)
        try asha.syncOK(benServer)
        benServer.terminate()
        // Cleo's device now serves at the address where Ben was reached.
        let cleoServer = try RunningProcess(["serve", "--store", cleo.store.path, "--bind", "127.0.0.1", "--port", "\(benServer.port)"])
        defer { cleoServer.terminate() }
        #expect(cleoServer.waitForLine { $0.hasPrefix("listening on ") } != nil, "\(cleoServer.stderr)")

        _ = try asha.add("For Ben only")
        let refused = try asha.run("sync", "Ben")
        #expect(refused.status == 6, "\(refused.status): \(refused.stderr)")
        #expect(refused.stderrLines.count == 2, "\(refused.stderr)")
        #expect(refused.stderrLines.first?.contains("is Cleo (") == true, "\(refused.stderr)")
        #expect(refused.stderrLines.first?.contains("not Ben (") == true, "\(refused.stderr)")
        #expect(refused.stderrLines.last?.hasPrefix("hint: sync once with Ben's new address") == true, "\(refused.stderr)")
        #expect(try cleo.noteIDs().isEmpty, "nothing reached the device that answered")

        // The same in `sync` alone; Cleo herself has no address here yet.
        let all = try asha.run("sync")
        #expect(all.status == 6, "\(all.status): \(all.stderr)")
        #expect(all.stderr.contains("not Ben ("), "\(all.stderr)")
        #expect(all.stdout.contains("Cleo: skipped"), "\(all.stdout)")
        #expect(try cleo.noteIDs().isEmpty)
        let peers = try #require(try asha.peers("list", "--json").json() as? [[String: Any]])
        #expect(peers.first { $0["name"] as? String == "Ben" }?["last_address"] as? String == benServer.address)
    }

    @Test("serve's first lines say what colleagues type")
    func serveSaysWhatToType() throws {
        let (_, ben) = try trustedPair()
        let server = try ServerProcess(ben)
        defer { server.terminate() }
        let first = server.running.waitForLine(onStderr: true, seconds: 10) { _ in true }
        #expect(first?.hasSuffix("fieldnote sync \(server.address)") == true, "\(server.running.stderr)")
    }
}
