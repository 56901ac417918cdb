import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

/// Clients nobody here wrote, and clients that misbehave on purpose.
@Suite("Refusals and hostile clients")
struct HostileClientTests {
    static let openssl = "/usr/bin/openssl"

    private func sClient(_ port: UInt16, _ extra: [String]) throws -> String {
        try run(HostileClientTests.openssl, ["s_client", "-connect", "127.0.0.1:\(port)", "-ign_eof"] + extra)
    }

    @Test func opensslClientWithoutCertificateIsRefused() throws {
        let temporary = TemporaryDirectory()
        let server = try Device("server", in: temporary)
        var limits = SyncLimits()
        limits.helloTimeout = .seconds(2)
        let reports = Reports()
        let output = try server.serving(limits: limits, reports: reports) { port in try sClient(port, ["-tls1_3"]) }
        #expect(output.contains("alert"), "\(output)")
        #expect(output.contains("certificate required"), "\(output)")
        let report = try #require(reports.waitFor(1).first)
        guard case .failure(let error) = report.result else { Issue.record("served"); return }
        #expect(error.code == .handshakeFailed, "\(error)")
        #expect(report.peer == nil)
    }

    @Test func opensslClientLimitedToTLS12IsRefused() throws {
        let temporary = TemporaryDirectory()
        let server = try Device("server", in: temporary)
        let probe = try Device("probe", in: temporary)
        try server.trusts(probe)
        let reports = Reports()
        let output = try server.serving(reports: reports) { port in
            try sClient(port, ["-tls1_2", "-cert", probe.identity.certificateURL.path, "-key", probe.identity.keyURL.path])
        }
        #expect(output.contains("alert protocol version") || output.contains("unsupported protocol"), "\(output)")
        #expect(!output.contains("TLSv1.3"), "\(output)")
        let report = try #require(reports.waitFor(1).first)
        guard case .failure(let error) = report.result else { Issue.record("served"); return }
        #expect(error.code == .handshakeFailed, "\(error)")
    }

    @Test func trustedOpensslClientCompletesTLS13() throws {
        let temporary = TemporaryDirectory()
        let server = try Device("server", in: temporary)
        let probe = try Device("probe", in: temporary)
        try server.trusts(probe)
        var limits = SyncLimits()
        limits.helloTimeout = .milliseconds(500)
        let reports = Reports()
        let output = try server.serving(limits: limits, reports: reports) { port in
            try sClient(port, ["-tls1_3", "-cert", probe.identity.certificateURL.path, "-key", probe.identity.keyURL.path])
        }
        #expect(output.contains("TLSv1.3"), "\(output)")
        #expect(output.contains("New, TLSv1.3"), "\(output)")
        let report = try #require(reports.waitFor(1).first)
        // The handshake passed; the session then ended waiting for a HELLO that never came.
        #expect(report.peer == probe.id)
        guard case .failure(let error) = report.result else { Issue.record("no HELLO, yet synced"); return }
        #expect(error.code == .timedOut || error.code == .connectionLost, "\(error)")
    }

    /// A trusted peer's TLS connection, handshake done, for writing raw bytes.
    private func rawConnection(_ device: Device, port: UInt16) throws -> TLSStream {
        try ScriptedClient(device, port: port).stream
    }

    private func expectErrorFrame(_ stream: TLSStream, _ code: TransportError.Code) throws {
        let (type, body) = try readRawFrame(stream)
        #expect(type == MessageType.error.rawValue)
        let error = ErrorMessage.decode(body)
        #expect(error.code == code, "\(error)")
        // Then the server closes the connection.
        #expect(throws: TransportError.self) { _ = try readRawFrame(stream) }
    }

    @Test func oversizedAndGarbageFramesCloseOnlyThatConnection() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        let mallory = try Device("mallory", in: temporary)
        let trudy = try Device("trudy", in: temporary)
        for hostile in [mallory, trudy] {
            try a.trusts(hostile)
            try hostile.trusts(a)
        }
        try a.store.addNote(text: "Still served")
        try a.serving { port in
            // Oversized: a length of almost 4 GiB is refused before anything is allocated for it.
            // Two devices: a server runs one session per device.
            let oversized = try rawConnection(mallory, port: port)
            let garbage = try rawConnection(trudy, port: port)
            try oversized.write([0xFF, 0xFF, 0xFF, 0xF0, 0x01])
            try expectErrorFrame(oversized, .frameTooLarge)
            // Others are served meanwhile, with a hostile connection still open.
            try b.sync(port: port)
            #expect(try b.texts() == ["Still served"])

            // Garbage: a frame of an unknown type, then a HELLO whose body is noise.
            try garbage.write([0x00, 0x00, 0x00, 0x04, 0x42, 0xDE, 0xAD, 0xBF])
            try expectErrorFrame(garbage, .malformed)
            let noise = try rawConnection(mallory, port: port)
            try noise.write([0x00, 0x00, 0x00, 0x06, MessageType.hello.rawValue, 0x01, 0x01, 0x07, 0x07, 0x07])
            try expectErrorFrame(noise, .malformed)
            let empty = try rawConnection(mallory, port: port)
            try empty.write([0x00, 0x00, 0x00, 0x00])
            try expectErrorFrame(empty, .malformed)

            try a.store.addNote(text: "Served after the garbage too")
            try b.sync(port: port)
            #expect(try b.texts() == ["Served after the garbage too", "Still served"])
        }
    }

    /// An older peer (versions 3–6: no opening turn, or no proofs of authorship) and a newer
    /// one alike are answered `version_mismatch`, and nothing is exchanged.
    @Test(arguments: [(UInt64(3), UInt64(6)), (8, 9)])
    func unknownProtocolVersionIsRefused(versions: (UInt64, UInt64)) throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try a.store.addNote(text: "Not for a peer that speaks another version")
        try a.serving { port in
            let stream = try rawConnection(b, port: port)
            let hello = Hello(minVersion: versions.0, maxVersion: versions.1, replica: b.store.replica, maxFrameBytes: 1 << 20, spaces: [])
            try stream.write(Frame.encode(.hello, hello.encode()))
            try expectErrorFrame(stream, .versionMismatch)
        }
        #expect(try b.texts().isEmpty)
    }
}
