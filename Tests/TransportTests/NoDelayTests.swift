import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Transport

/// Both ends of a session send small frames without waiting: a server's accepted connection
/// once kept Nagle's algorithm, and a flight of HELLO, ACKs and DONE then waited 40 ms for the
/// peer's delayed TCP acknowledgement — in every sync, on every link.
@Suite("TCP_NODELAY on both ends")
struct NoDelayTests {
    static func noDelay(_ descriptor: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length)
        return value
    }

    @Test func anAcceptedConnectionSendsWithoutDelay() throws {
        let temporary = TemporaryDirectory()
        let (a, _) = try pair(temporary)
        let (listener, port) = try Sockets.listen(host: "127.0.0.1", port: 0)
        defer { close(listener) }
        let client = try Sockets.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        defer { close(client) }
        let accepted = try #require(Sockets.accept(listener, waitingAtMost: 2_000))
        #expect(Self.noDelay(accepted) == 0, "the kernel's default, which the stream must change")
        let stream = try TLSStream(context: try TLSContext(identity: a.identity, isServer: true), descriptor: accepted, check: { _ in nil })
        #expect(Self.noDelay(accepted) == 1)
        #expect(Self.noDelay(client) == 1)
        stream.close()
    }
}
