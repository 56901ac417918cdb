import Foundation
import Testing
@testable import SyncCore

/// Holds Protocol.md to the code: the worked example's hex dump must be exactly what the
/// encoder writes for the batch the document describes, so the two cannot drift apart.
@Suite("Protocol document")
struct ProtocolDocumentTests {
    static let replica = ReplicaID(high: 0x7D3A_9C0E_51B2_4F6A, low: 0x8E1C_2D3B_4A59_6877)
    /// Made at 2026-01-01 10:00:00 UTC, the first 48 bits of a note id.
    static let start: UInt64 = 1_767_261_600_000
    static let note = EntityID(high: start << 16 | 0x3C5A, low: 0x91E2_44B0_0D6F_A713)

    /// The batch of section 1.9: create a note, set `caseload` = 31, tag it, type "Hi!" one
    /// character at a time, then backspace over the "!".
    static var example: OpBatch {
        func op(_ seq: UInt64, _ elapsed: UInt64, _ payload: OpPayload) -> Op {
            Op(id: OpID(space: .team, replica: replica, seq: seq), timestamp: Timestamp(millis: start + elapsed, counter: 0), payload: payload)
        }
        return OpBatch(ops: [
            op(1, 0, .create(entity: note, kind: .note)),
            op(2, 1_200, .setField(entity: note, key: "caseload", value: .int(31))),
            op(3, 2_500, .addElement(entity: note, set: FieldKey.tags, element: "overload")),
            op(4, 4_000, .insertText(entity: note, origin: nil, rightOrigin: nil, text: "H")),
            op(5, 4_180, .insertText(entity: note, origin: CharID(replica: replica, seq: 4), rightOrigin: nil, text: "i")),
            op(6, 4_310, .insertText(entity: note, origin: CharID(replica: replica, seq: 5), rightOrigin: nil, text: "!")),
            op(7, 5_900, .deleteText(entity: note, ranges: [CharRange(start: CharID(replica: replica, seq: 6), count: 1)])),
        ])
    }

    /// Protocol.md, found from this file's path: Tests/SyncCoreTests/ → the repository root.
    static func document() throws -> String {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)
        let path = components.joined(separator: "/") + "/Protocol.md"
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The bytes of the fenced block marked ```hex: on each line, hex pairs before the `|`
    /// that starts the annotation.
    static func exampleBytes(in document: String) -> [UInt8]? {
        guard let open = document.range(of: "```hex\n") else { return nil }
        let rest = document[open.upperBound...]
        guard let close = rest.range(of: "```") else { return nil }
        var bytes: [UInt8] = []
        for line in rest[..<close.lowerBound].split(separator: "\n") {
            let data = line.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for token in data.split(separator: " ") {
                guard token.count == 2, let byte = UInt8(token, radix: 16) else { return nil }
                bytes.append(byte)
            }
        }
        return bytes
    }

    @Test func workedExampleMatchesTheEncoder() throws {
        let encoded = OpCodec.encode(Self.example)
        let documented = try #require(Self.exampleBytes(in: try Self.document()), "no ```hex block in Protocol.md")
        #expect(documented == encoded)
        #expect(try OpCodec.decode(documented) == Self.example)
    }

    @Test func documentNamesEveryTagAndErrorCode() throws {
        let text = try Self.document()
        for tag in ["0x01", "0x02", "0x03", "0x04", "0x05", "0x06", "0x07", "0x08", "0x09", "0x10", "0x11", "0x80"] {
            #expect(text.contains("`\(tag)"), "tag \(tag) is not in Protocol.md")
        }
        let codes: [CodecError.Code] = [.truncated, .overflow, .nonCanonical, .lengthOutOfRange, .invalidUTF8, .unknownTag,
                                        .unsupportedVersion, .invalidValue, .trailingBytes, .indexOutOfRange]
        for code in codes {
            #expect(text.contains("`\(code.rawValue)`"), "error code \(code) is not in Protocol.md")
        }
        #expect(text.contains("## 2. Sync protocol"))
    }
}
