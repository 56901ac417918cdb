import Foundation
import Storage
import SyncCore
import Testing
@testable import Transport
#if canImport(Glibc)
import Glibc
#endif

/// One `fieldnote serve` and 50 `fieldnote sync` clients at once, each with its own store and
/// notes, while hostile connections are open: silent ones that never start TLS, and a
/// trusted one that sends its HELLO one byte at a time. Every client succeeds, all converge, the
/// server's resident memory stays bounded, and it holds no more descriptors afterwards than before.
///
/// `FIELDNOTE_LOAD_CLIENTS` changes the number of clients: `Scripts/sanitizers` sets 10, since
/// sanitizer-built binaries run several times slower and 50 queued clients would outlast their
/// own 10 s handshake deadline.
@Suite("Load", .serialized)
struct LoadTests {
    static var clients: Int { Int(ProcessInfo.processInfo.environment["FIELDNOTE_LOAD_CLIENTS"] ?? "") ?? 50 }
    static let notesPerClient = 20

    /// VmRSS of `pid` in KiB, from /proc.
    static func residentKiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Open descriptors of `pid`.
    static func descriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    /// Samples a process's VmRSS until stopped, keeping the peak.
    final class MemorySampler: @unchecked Sendable {
        private let lock = NSLock()
        private var peakKiB = 0
        private var running = true
        init(_ pid: Int32) {
            Thread { [self] in
                while true {
                    lock.lock(); let go = running; lock.unlock()
                    if !go { break }
                    let now = LoadTests.residentKiB(pid)
                    lock.lock(); peakKiB = max(peakKiB, now); lock.unlock()
                    usleep(20_000)
                }
            }.start()
        }
        func stop() -> Int { lock.lock(); defer { lock.unlock() }; running = false; return peakKiB }
    }

    /// Per space, the version vector and op count of the store in `directory`.
    static func holdings(_ directory: URL) throws -> [String] {
        let store = try Store(directory: directory)
        defer { try? store.close() }
        let status = try store.status()
        #expect(status.isIntact)
        return status.spaces.map { "\($0.space) \($0.ops) ops \($0.vector)" }.sorted()
    }

    /// What each descriptor of `pid` points to, for a message.
    static func descriptorTargets(_ pid: Int32) -> [String] {
        let directory = "/proc/\(pid)/fd"
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).map {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)")) ?? "?"
        }.sorted()
    }

    /// The device identity of a store about to be made, which the store's replica id must come
    /// from (Protocol.md 2.8), as the client makes them.
    static func identity(in directory: URL) throws -> DeviceIdentity {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try DeviceIdentity.loadOrCreate(in: directory)
    }

    /// Runs every client's `sync` at once; returns the failures and the seconds each client took.
    static func round(_ sandboxes: [Sandbox], _ address: String) throws -> (failures: [String], seconds: [Double]) {
        let start = Date()
        let running = try sandboxes.map { try RunningProcess(["sync", address, "--store", $0.store.path, "--json"]) }
        var finished = [Double?](repeating: nil, count: running.count)
        let deadline = start.addingTimeInterval(120)
        while finished.contains(where: { $0 == nil }) && Date() < deadline {
            for (index, process) in running.enumerated() where finished[index] == nil && !process.process.isRunning {
                finished[index] = Date().timeIntervalSince(start)
            }
            usleep(10_000)
        }
        var failures: [String] = []
        for (index, process) in running.enumerated() {
            let status = process.waitForExit(seconds: 1)
            if status != 0 { failures.append("client \(index): exit \(status ?? -1): \(process.stderr)") }
        }
        return (failures, finished.map { $0 ?? 120 })
    }

    @Test func fiftyClientsAtOnceConvergeWithBoundedMemoryAndNoLeakedDescriptors() throws {
        let server = try Sandbox()
        let serverIdentity = try Self.identity(in: server.store)
        let serverStore = try Store(directory: server.store, newReplica: serverIdentity.replica)
        try serverStore.addNotes((0..<Self.notesPerClient).map { NoteDraft(text: "server note \($0)") })
        try serverStore.close()
        let serverTrust = try TrustList(directory: server.store)
        var sandboxes: [Sandbox] = []
        for index in 0..<Self.clients {
            let sandbox = try Sandbox()
            let identity = try Self.identity(in: sandbox.store)
            let store = try Store(directory: sandbox.store, newReplica: identity.replica)
            try store.addNotes((0..<Self.notesPerClient).map { NoteDraft(text: "client \(index) note \($0): caseload 30", space: $0 % 5 == 0 ? .evidence : .team) })
            try store.close()
            try serverTrust.add(identity.id, name: "client-\(index)", spaces: [.team: .readWrite, .evidence: .readWrite])
            try TrustList(directory: sandbox.store).add(serverIdentity.id, name: "server", spaces: [.team: .readWrite, .evidence: .readWrite])
            sandboxes.append(sandbox)
        }
        let hostile = try Sandbox()
        let hostileIdentity = try Self.identity(in: hostile.store)
        try Store(directory: hostile.store, newReplica: hostileIdentity.replica).close()
        let hostileTrust = try TrustList(directory: hostile.store)
        try serverTrust.add(hostileIdentity.id, name: "trickler", spaces: [.team: .readWrite])
        try hostileTrust.add(serverIdentity.id, name: "server", spaces: [.team: .readWrite])

        let serving = try ServerProcess(server)
        defer { serving.terminate() }
        let pid = serving.running.process.processIdentifier
        let idleKiB = Self.residentKiB(pid)
        let sampler = MemorySampler(pid)

        // First round: 50 clients at once bring every note to the server. Its store's reader
        // connections are opened on demand, so descriptors are counted after this warm-up.
        let first = try Self.round(sandboxes, serving.address)
        #expect(first.failures.isEmpty, "\(first.failures.count) clients failed in the first round: \(first.failures.prefix(3))")
        usleep(300_000)
        let warmDescriptors = Self.descriptors(pid)
        let warmTargets = Self.descriptorTargets(pid)

        // Hostile connections: three that connect and send nothing, one trusted peer that
        // completes TLS and then sends its HELLO one byte every 200 ms, never finishing it.
        var silent = try (0..<3).map { _ in try Sockets.connect(host: "127.0.0.1", port: serving.port, timeout: .seconds(5)) }
        // Each closed once: a second close of a number the system has handed to another test's
        // pipe meanwhile (tests run in parallel) would close that pipe under it.
        defer { for descriptor in silent { close(descriptor) } }
        let trickler = try SyncClient.connect(identity: hostileIdentity, trust: hostileTrust, host: "127.0.0.1", port: serving.port, limits: .default)
        trickler.setTimeouts(.seconds(20))
        try trickler.handshake()
        let hello = Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: ReplicaID(high: 9, low: 9), maxFrameBytes: 1 << 20,
                          spaces: [HelloSpace(space: .team, accepts: true, vector: VersionVector())]).encode()
        let frame = [UInt8(0), 0, UInt8((hello.count + 1) >> 8), UInt8((hello.count + 1) & 0xFF), MessageType.hello.rawValue] + hello
        let trickleStart = Date()
        nonisolated(unsafe) var trickleEnded: Double? = nil
        let trickleDone = DispatchSemaphore(value: 0)
        Thread {
            for byte in frame.dropLast() {
                do { try trickler.write([byte]) } catch { break }
                usleep(200_000)
            }
            // Wait for the server to give up on it: the read ends with the cut.
            var buffer = [UInt8](repeating: 0, count: 1)
            _ = try? trickler.read(into: &buffer, at: 0, count: 1)
            trickleEnded = Date().timeIntervalSince(trickleStart)
            trickleDone.signal()
        }.start()

        // Second round, with the hostile connections open: the silent ones hold handshake places
        // only, the trickling one a session slot until it yields it to a waiting client. Every
        // client still gets every note.
        let second = try Self.round(sandboxes, serving.address)
        #expect(second.failures.isEmpty, "\(second.failures.count) clients failed in the second round: \(second.failures.prefix(3))")
        #expect(trickleDone.wait(timeout: .now() + 30) == .success, "the trickling peer was never cut off")
        let trickled = trickleEnded ?? -1
        // Clients were waiting for a slot, so it yielded its slot long before its HELLO deadline.
        #expect(trickled > 0 && trickled < 8, "the trickling HELLO was cut after \(trickled) s (HELLO deadline 10 s, yield after 2 s)")
        let servedMeanwhile = second.seconds.filter { $0 < trickled }.count
        let peakKiB = sampler.stop()

        // Converged: every client holds exactly what the server holds.
        let expected = try Self.holdings(server.store)
        var diverged = 0
        for sandbox in sandboxes where try Self.holdings(sandbox.store) != expected { diverged += 1 }
        #expect(diverged == 0, "\(diverged) clients differ from the server")
        let serverNotes = try server.noteIDs().count + server.noteIDs(space: "evidence").count
        #expect(serverNotes == (Self.clients + 1) * Self.notesPerClient)

        // Descriptors: every socket, pipe and other descriptor is released once the sessions have
        // ended (the silent sockets are closed by the server's handshake deadline, or by us).
        // The store's own files are counted apart: GRDB's pool opens reader connections on
        // demand (each holds the database and its -wal), up to its bound of five.
        for descriptor in silent { close(descriptor) }
        silent.removeAll()
        trickler.close()
        func split(_ targets: [String]) -> (database: Int, other: [String]) {
            (targets.filter { $0.contains("store.sqlite") }.count, targets.filter { !$0.contains("store.sqlite") })
        }
        let warm = split(warmTargets)
        let deadline = Date().addingTimeInterval(15)
        while split(Self.descriptorTargets(pid)).other.count > warm.other.count && Date() < deadline { usleep(50_000) }
        let after = split(Self.descriptorTargets(pid))
        #expect(after.other == warm.other, "descriptors after warm-up \(warm.other), at the end \(after.other)")
        #expect(after.database <= 1 + 6 * 2, "\(after.database) descriptors on the store's files")
        let afterDescriptors = Self.descriptors(pid)
        // Memory: bounded by the session limit, not by the number of clients.
        #expect(peakKiB < idleKiB + 256 * 1024, "VmRSS peaked at \(peakKiB) KiB from \(idleKiB) KiB idle")
        let sorted = second.seconds.sorted()
        print("load: \(Self.clients) clients at once, 2 rounds, 0 failures: round 1 in \(first.seconds.max() ?? 0) s, round 2 (with 3 silent and 1 trickling connection) in \(sorted.last ?? 0) s, median client \(sorted[sorted.count / 2]) s, \(servedMeanwhile) served before the trickling one was cut; server VmRSS \(idleKiB) KiB idle, \(peakKiB) KiB peak, \(Self.residentKiB(pid)) KiB after; descriptors \(warmDescriptors) warm, \(afterDescriptors) after; trickling HELLO cut after \(trickled) s")
    }
}
