import Testing
import Transport
@testable import fieldnote

/// Every transport failure a sync can end with has its documented exit status.
@Suite("sync exit statuses")
struct ExitStatusTests {
    @Test("transport error codes map to statuses 3–8", arguments: [
        (TransportError.Code.unreachable, Int32(5)), (.connectionLost, 5), (.cannotListen, 5),
        (.handshakeFailed, 6), (.notTrusted, 6), (.selfConnection, 6), (.spaceNotGranted, 6), (.readOnly, 6),
        (.timedOut, 7),
        (.versionMismatch, 8), (.malformed, 8), (.unexpectedMessage, 8), (.frameTooLarge, 8), (.clockSkew, 8), (.shuttingDown, 8),
        (.invalidDeviceID, 4), (.unknownPeer, 3), (.identity, 1), (.openSSL, 1), (.store, 1),
    ])
    func mapping(_ code: TransportError.Code, _ status: Int32) throws {
        let failure = try #require(CommandFailure.from(TransportError(code, "what happened")))
        #expect(failure.status.rawValue == status)
        #expect(failure.message == "what happened")
        let fromPeer = try #require(CommandFailure.from(TransportError(code, "what happened", fromPeer: true)))
        #expect(fromPeer.message == "the other device said: what happened")
    }
}
