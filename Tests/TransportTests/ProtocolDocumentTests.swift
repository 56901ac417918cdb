import Foundation
import Testing
import SyncCore
@testable import Transport

/// Holds Protocol.md section 2 to the code: every message type and every error code sent on the
/// wire is documented, with the frame limits the code uses.
@Suite("Protocol document, section 2")
struct SyncProtocolDocumentTests {
    static func sectionTwo() throws -> String {
        var components = URL(fileURLWithPath: #filePath).pathComponents
        components.removeLast(3)
        let text = try String(contentsOfFile: components.joined(separator: "/") + "/Protocol.md", encoding: .utf8)
        let range = try #require(text.range(of: "## 2. Sync protocol"))
        return String(text[range.lowerBound...])
    }

    @Test func documentsEveryMessageAndErrorCode() throws {
        let text = try Self.sectionTwo()
        for (type, name) in [(MessageType.hello, "HELLO"), (.batch, "BATCH"), (.ack, "ACK"), (.done, "DONE"), (.error, "ERROR")] {
            #expect(text.contains(String(format: "| `0x%02x` | \(name) |", type.rawValue)), "\(name)")
        }
        for code in SessionError.Code.reported {
            #expect(text.contains("| `\(code.rawValue)` |"), "error code \(code) is not in the table of 2.7")
        }
        #expect(SyncProtocol.maxFrameBytes == 8_388_608 && text.contains("8 388 608"))
        #expect(SyncProtocol.minFrameBytes == 64 << 10 && text.contains("64 KiB"))
    }
}
