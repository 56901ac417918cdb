import Foundation

/// A JSON value for the protocol fixtures (`Tests/Fixtures/protocol`), with a writer of our own.
///
/// Why not `JSONEncoder`: the fixtures are a contract read by other implementations and diffed
/// in review, so their bytes must be stable and readable. This writer keeps keys in the order
/// they are given, puts a small object on one line, and writes every scalar of a string as its
/// UTF-8 (escaping only what JSON requires), so text survives byte for byte, with no
/// normalisation. Strings compare by their scalars, not by Swift's canonical equivalence: a
/// fixture holding "e" + U+0301 must not match a decoder that produced "é".
indirect enum FixtureJSON: Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Int64)
    case string(String)
    case array([FixtureJSON])
    case object([(String, FixtureJSON)])

    static func == (lhs: FixtureJSON, rhs: FixtureJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && a.allSatisfy { key, value in b.first { $0.0 == key }.map { $0.1 == value } ?? false }
        default: false
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([FixtureJSON].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: FixtureJSON].self).sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    static func parse(_ data: Data) throws -> FixtureJSON {
        try JSONDecoder().decode(FixtureJSON.self, from: data)
    }

    // MARK: Reading

    subscript(key: String) -> FixtureJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    var arrayValue: [FixtureJSON]? { if case .array(let value) = self { value } else { nil } }
    var isNull: Bool { self == .null }

    // MARK: Writing

    /// The file's text: one value, a newline at the end.
    var rendered: String { render(indent: "") + "\n" }
    var description: String { compact }

    /// Objects and arrays whose one-line form is at most this long stay on one line.
    private static let lineLimit = 300

    private var compact: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): String(number)
        case .string(let string): Self.quoted(string)
        case .array(let items): "[" + items.map(\.compact).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.map { Self.quoted($0.0) + ": " + $0.1.compact }.joined(separator: ", ") + "}"
        }
    }

    private func render(indent: String) -> String {
        let line = compact
        if line.count + indent.count <= Self.lineLimit { return line }
        let inner = indent + "  "
        switch self {
        case .array(let items):
            return "[\n" + items.map { inner + $0.render(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members):
            return "{\n" + members.map { inner + Self.quoted($0.0) + ": " + $0.1.render(indent: inner) }.joined(separator: ",\n")
                + "\n" + indent + "}"
        default:
            return line
        }
    }

    /// A JSON string literal: `JSONEncoder` escapes quotes, backslashes and control characters
    /// and writes every other scalar as its UTF-8, as the fixtures need.
    private static func quoted(_ string: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return (try? encoder.encode(string)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}

/// Hex, as the fixtures write bytes: lowercase, two digits a byte, nothing between them.
enum FixtureHex {
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
