import Findings
import Foundation
import Storage
import SyncCore
import Testing
import Transport

/// What a union rep's device holds of the evidence a member shares: sealed records it can read,
/// nothing that names the member's device or links the member's months, no time finer than a
/// week; and what a colleague who relays them holds: records it cannot read.
@Suite("Evidence at the rep: sealed and unlinkable")
struct UnlinkableEvidenceTests {
    /// A note about `week` with a caseload, linked to a finding, shared; returns the record id.
    @discardableResult
    static func share(_ sandbox: Sandbox, week: String, caseload: Int, excerpt: String? = nil) throws -> String {
        let note = try sandbox.add("Caseload \(caseload) this week", "--field", "caseload=\(caseload)", "--field", "week=\(week)")
        try #require(try sandbox.run("link", note, "ofsted-worcestershire-2017-caseloads").status == 0)
        let shared = excerpt.map { ["--excerpt", $0] } ?? []
        let result = try sandbox.run(["share", note, "--yes", "--json"] + shared)
        try #require(result.status == 0, "share: \(result.stderr)")
        return try #require((try result.json() as? [String: Any])?["id"] as? String)
    }

    static func identity(_ sandbox: Sandbox) throws -> [String: String] {
        let result = try sandbox.run("id", "--json")
        return try #require(try result.json() as? [String: String])
    }

    @Test("a member who never synced with the rep: the rep's files hold no id, key, name or time of the member's device")
    func theRepsFilesNameNeitherTheMemberNorTheirDevice() throws {
        let rep = try Sandbox(), colleague = try Sandbox(), worker = try Sandbox()
        try #require(try worker.run("init", "--name", "Wren-laptop").status == 0)
        try worker.trust(colleague, as: "Cal")
        try colleague.trust(worker, as: "Wren")
        try rep.trust(colleague, as: "Cal", spaces: "evidence")
        for member in [colleague, worker] {
            let marked = try member.peers("add", try rep.deviceID(), "--name", "Rosa", "--spaces", "evidence", "--rep")
            try #require(marked.status == 0, "\(marked.stderr)")
        }
        // Without the rep's key nothing can be sealed, and nothing is written.
        let note = try worker.add("Caseload 31", "--field", "caseload=31")
        let early = try worker.run("share", note, "--yes")
        #expect(early.status == 6 && early.stderr.contains("does not know the key of Rosa") && early.stderr.contains("hint:"), "\(early.stderr)")

        // The colleague learns the rep's key at a sync; the worker learns it from the colleague.
        let repServer = try ServerProcess(rep)
        try colleague.syncOK(repServer)
        repServer.terminate()
        let colleagueServer = try ServerProcess(colleague)
        try worker.syncOK(colleagueServer)
        let peers = try #require(try worker.run("peers", "list", "--json").json() as? [[String: Any]])
        #expect(peers.first { $0["name"] as? String == "Rosa" }?["key_known"] as? Bool == true)

        let excerpt = "Third cancelled supervision in a row."
        try Self.share(worker, week: "2026-W10", caseload: 31, excerpt: excerpt)
        try Self.share(worker, week: "2026-W15", caseload: 33)
        try worker.syncOK(colleagueServer)
        colleagueServer.terminate()

        // The colleague relays what it cannot read.
        let relayed = try colleague.run("evidence", "list", "--received", "--json")
        let relayedRecords = try relayed.json() as? [Any]
        #expect(relayed.status == 0 && relayedRecords?.isEmpty == true)
        #expect(relayed.stderr.contains("2 more records are sealed for other reps"), "\(relayed.stderr)")
        #expect(try colleague.snapshot().values.allSatisfy { !containsBytes($0, excerpt) })

        let repAgain = try ServerProcess(rep)
        try colleague.syncOK(repAgain)
        repAgain.terminate()
        let received = try #require(try rep.run("evidence", "list", "--received", "--json").json() as? [[String: Any]])
        #expect(received.count == 2 && received.contains { $0["excerpt"] as? String == excerpt })

        // Byte for byte: nothing of the worker's device in any file of the rep's store.
        let worker_ = try Self.identity(worker)
        let workerStatus = try worker.status()
        let replicaHex = try #require(workerStatus["replica"] as? String)
        var needles: [[UInt8]] = [Array("Wren".utf8), Array(replicaHex.utf8), Array(worker_["device"]!.utf8),
                                  Array(worker_["sha256"]!.utf8), Array(worker_["public_key"]!.utf8),
                                  Array(worker_["device"]!.replacingOccurrences(of: "-", with: "").utf8)]
        for hex in [replicaHex, worker_["sha256"]!, worker_["public_key"]!] { needles.append(try #require(Self.bytes(hex))) }
        let files = try rep.snapshot()
        #expect(files.keys.contains { $0.hasSuffix("store.sqlite") })
        for (path, data) in files {
            for needle in needles {
                #expect(data.range(of: Data(needle)) == nil, "\(path) holds \(String(decoding: needle.prefix(12), as: UTF8.self))…")
            }
        }

        // Every evidence op and record is stamped with a Monday, 00:00 UTC: no finer than the week.
        let store = try Store(location: StoreLocation(directory: rep.store))
        defer { try? store.close() }
        let ops = try store.ops(in: .evidence, above: VersionVector(), limit: 1_000).ops
        #expect(ops.count == 4)
        let week: UInt64 = 7 * 86_400_000, monday: UInt64 = 4 * 86_400_000
        for op in ops { #expect((op.timestamp.millis + week - monday) % week == 0, "op stamped \(op.timestamp)") }
        for entity in try store.entities(of: .evidence, space: .evidence) {
            #expect((entity.created.millis + week - monday) % week == 0 && (entity.updated.millis + week - monday) % week == 0)
        }
        // Two records, two authors, neither of them the worker's replica; two months, two reporter keys.
        let authors = Set(ops.map(\.id.replica.hex))
        #expect(authors.count == 2 && !authors.contains(replicaHex))
        let keys = try EvidenceKeys(personSecret: Array(repeating: 1, count: 32), reps: [],
                                    device: try DeviceIdentity.loadOrCreate(in: rep.store).sealingKey)
        let reporters = try StoreFindingsAdapter(store: store, keys: keys).evidence().records.compactMap(\.reporter)
        #expect(reporters.count == 2 && Set(reporters).count == 2, "March and April are signed by keys nothing links")
    }

    @Test("two devices of one person, marked --mine on both, count once in the rep's month")
    func onePersonsTwoDevicesCountOnce() throws {
        let rep = try Sandbox(), laptop = try Sandbox(), phone = try Sandbox(), ann = try Sandbox(), bob = try Sandbox()
        for (a, b) in [(laptop, phone), (phone, laptop)] {
            let marked = try a.peers("add", try b.deviceID(), "--name", "my other device", "--spaces", "team,evidence", "--mine")
            try #require(marked.status == 0, "\(marked.stderr)")
        }
        for member in [laptop, phone, ann, bob] {
            try member.markRep(rep)
            try rep.trust(member, as: "member-\(UUID().uuidString.prefix(6))", spaces: "evidence")
        }
        // One sync between the two devices: they settle on one person's secret.
        let phoneServer = try ServerProcess(phone)
        try laptop.syncOK(phoneServer)
        phoneServer.terminate()

        try Self.share(laptop, week: "2026-W10", caseload: 30)
        try Self.share(phone, week: "2026-W11", caseload: 32)
        try Self.share(ann, week: "2026-W10", caseload: 28)
        try Self.share(bob, week: "2026-W11", caseload: 35)
        let repServer = try ServerProcess(rep)
        defer { repServer.terminate() }
        for member in [laptop, phone, ann, bob] { try member.syncOK(repServer) }

        let report = try #require(try rep.run("report", "--format", "json").json() as? [String: Any])
        let total = try #require((report["total"] as? [String: Any])?["statistics"] as? [String: Any])
        #expect(total["records"] as? Int == 4)
        #expect(total["reporters"] as? Int == 3, "the laptop and the phone are one person: \(total)")
        let persons = try [laptop, phone].map { sandbox -> [UInt8]? in
            let store = try Store(location: StoreLocation(directory: sandbox.store))
            defer { try? store.close() }
            return try store.existingPersonSecret()
        }
        #expect(persons[0] != nil && persons[0] == persons[1])
        // Ann's device, not marked as theirs, keeps a secret of its own.
        let annStore = try Store(location: StoreLocation(directory: ann.store))
        defer { try? annStore.close() }
        #expect(try annStore.existingPersonSecret() != persons[0])
    }

    static func bytes(_ hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
