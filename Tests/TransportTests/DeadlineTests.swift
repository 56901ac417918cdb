import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport
#if canImport(Glibc)
import Glibc
#endif

/// Each phase of a session has a total deadline, not only a per-read timeout: a peer that
/// trickles bytes just fast enough to keep every read alive is still cut off. And `stop()` is prompt.
@Suite("Deadlines and stopping")
struct DeadlineTests {
    static var shortLimits: SyncLimits {
        var limits = SyncLimits()
        limits.handshakeTimeout = .seconds(1)
        limits.helloTimeout = .seconds(1)
        limits.idleTimeout = .seconds(1)
        return limits
    }

    /// A trusted peer's connection, TLS done, that writes `bytes` one every 100 ms (each read on
    /// the server gets its byte well within its 1 s timeout). Returns the seconds until the server
    /// cut it, and the server's report of the session.
    /// `prefix`, given the client device, is written first at once (a HELLO must carry the
    /// replica its key speaks for).
    private func trickle(_ bytes: [UInt8], after prefix: (Device) -> [UInt8] = { _ in [] }) throws -> (Double, SessionReport) {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        let reports = Reports()
        let seconds = try a.serving(limits: Self.shortLimits, reports: reports) { port in
            let stream = try SyncClient.connect(identity: b.identity, trust: b.trust, host: "127.0.0.1", port: port, limits: .default)
            stream.setTimeouts(.seconds(10))
            try stream.handshake()
            let prefix = prefix(b)
            if !prefix.isEmpty { try stream.write(prefix) }
            let start = Date()
            for byte in bytes {
                do { try stream.write([byte]) } catch { break }
                if Date().timeIntervalSince(start) > 8 { break }
                usleep(100_000)
            }
            var buffer = [UInt8](repeating: 0, count: 1)
            while (try? stream.read(into: &buffer, at: 0, count: 1)) != nil {}
            return Date().timeIntervalSince(start)
        }
        return (seconds, try #require(reports.waitFor(1).first))
    }

    private func helloFrame(_ replica: ReplicaID) -> [UInt8] {
        let hello = Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: replica, maxFrameBytes: 1 << 20,
                          spaces: [HelloSpace(space: .team, accepts: true, vector: VersionVector())]).encode()
        return [0, 0, UInt8((hello.count + 1) >> 8), UInt8((hello.count + 1) & 0xFF), MessageType.hello.rawValue] + hello
    }

    @Test func aTricklingHelloIsCutAtTheHelloDeadline() throws {
        let frame = helloFrame(ReplicaID(high: 5, low: 5))
        let (seconds, report) = try trickle(Array(frame.dropLast()) + Array(repeating: 0, count: 100))
        #expect(seconds < 2.5, "cut after \(seconds) s")
        guard case .failure(let error) = report.result else { Issue.record("served"); return }
        #expect(error.code == .timedOut && error.message.contains("HELLO"), "\(error)")
    }

    @Test func aTricklingFrameAfterHelloIsCutAtTheFrameDeadline() throws {
        // A valid HELLO, then a BATCH frame announced at 1 000 bytes, sent a byte at a time.
        let (seconds, report) = try trickle(Array(repeating: 0x42, count: 100),
                                            after: { helloFrame($0.store.replica) + [0, 0, 0x03, 0xE8, MessageType.batch.rawValue] })
        #expect(seconds < 3.5, "cut after \(seconds) s")
        guard case .failure(let error) = report.result else { Issue.record("served"); return }
        #expect(error.code == .timedOut && error.message.contains("reading a frame"), "\(error)")
    }

    @Test func aSilentConnectionIsCutAtTheHandshakeDeadline() throws {
        let temporary = TemporaryDirectory()
        let a = try Device("alex", in: temporary)
        let reports = Reports()
        let seconds = try a.serving(limits: Self.shortLimits, reports: reports) { port in
            let descriptor = try Sockets.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
            defer { close(descriptor) }
            let start = Date()
            var byte: UInt8 = 0
            _ = recv(descriptor, &byte, 1, 0)
            return Date().timeIntervalSince(start)
        }
        #expect(seconds < 2.5, "cut after \(seconds) s")
        let report = try #require(reports.waitFor(1).first)
        guard case .failure(let error) = report.result else { Issue.record("served"); return }
        #expect(error.code == .timedOut, "\(error)")
    }

    /// No 100 ms accept poll, and a connection still in its handshake is cut at once rather
    /// than waited for through the shutdown grace.
    @Test func stopIsPrompt() throws {
        let temporary = TemporaryDirectory()
        let a = try Device("alex", in: temporary)
        var limits = SyncLimits()
        limits.shutdownGrace = .seconds(5)
        let idle = SyncServer(store: a.store, identity: a.identity, trust: a.trust, port: 0, limits: limits)
        try idle.start()
        usleep(50_000)
        let clock = ContinuousClock()
        let idleStop = clock.measure { idle.stop() }
        #expect(idleStop < .milliseconds(50), "stop took \(idleStop)")

        let busy = SyncServer(store: a.store, identity: a.identity, trust: a.trust, port: 0, limits: limits)
        let port = try busy.start()
        let descriptor = try Sockets.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        defer { close(descriptor) }
        let deadline = Date().addingTimeInterval(5)
        while busy.activeSessions == 0 && Date() < deadline { usleep(1000) }
        let busyStop = clock.measure { busy.stop() }
        #expect(busyStop < .milliseconds(500), "stop took \(busyStop) with a connection in its handshake")
        print("stop: \(idleStop) idle, \(busyStop) with a connection in its handshake")
    }
}
