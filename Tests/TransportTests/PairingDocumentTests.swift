import Foundation
@testable import Pairing
import Testing
@testable import Transport

/// Protocol.md sections 4 (pairing) and 5 (local discovery) against the code: every constant a
/// second implementation needs, as the document gives it.
@Suite("Protocol.md: pairing and discovery")
struct PairingDocumentTests {
    static func document() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Protocol.md"), encoding: .utf8)
    }

    @Test func pairingConstantsAreTheDocumentsOwn() throws {
        let text = try Self.document()
        let pairing = try #require(text.range(of: "## 4. Pairing").map { String(text[$0.lowerBound...]) })
        for constant in [DevicePairing.magic, DevicePairing.identityA, DevicePairing.identityB, PasswordScalar.pairingSalt] {
            #expect(pairing.contains("`\"\(String(decoding: constant, as: UTF8.self))\"`"), "\(String(decoding: constant, as: UTF8.self))")
        }
        let cost = PasswordScalar.pairingCost
        #expect(pairing.contains("N = 2¹⁵, r = 8, p = 1, 40 bytes") && cost.blockCount == 1 << 15 && cost.blockSize == 8 && cost.parallelism == 1)
        #expect(pairing.contains("(port \(DevicePairing.defaultPort) by default)"))
        #expect(pairing.contains("at most 4 096") && PairingConnection.maximumMessage == 4096)
        #expect(pairing.contains("1 to 99") && PairingCode.channels == 1...99 && PairingCode.wordCount == 3)
        #expect(pairing.contains("1024-word list") && PairingWords.all.count == 1024 && Set(PairingWords.all.map { $0.prefix(4) }).count == 1024)
        for label in ["fieldnote pair 1 joiner to listener", "fieldnote pair 1 listener to joiner", "message"] {
            #expect(pairing.contains("`\"\(label)\"`"), "\(label)")
        }
    }

    @Test func discoveryConstantsAreTheDocumentsOwn() throws {
        let text = try Self.document()
        let discovery = try #require(text.range(of: "## 5. Local discovery").map { String(text[$0.lowerBound...]) })
        #expect(discovery.contains("port **\(LocalDiscovery.port)**"))
        #expect(discovery.contains("\"\(String(decoding: Announcement.magic, as: UTF8.self))\""))
        #expect(discovery.contains("Unix seconds / \(Announcement.window)"))
        let bytes = Announcement(kind: .device, window: 1, tag: Array(repeating: 0, count: Announcement.tagBytes), port: 1).encode()
        #expect(discovery.contains("is \(bytes.count) bytes"))
        for label in ["fieldnote announce device", "fieldnote announce pairing"] { #expect(discovery.contains("`\"\(label)\"`")) }
    }
}
