import SyncCore

/// A device's identity as people see it: the SHA-256 of its public key (`Certificate.deviceID(of:)`),
/// written so it can be read out over the phone and a typing mistake is caught.
///
/// The 32 hash bytes are written in base32 (RFC 4648 alphabet `A–Z 2–7`, no padding: 52
/// characters), cut into four groups of 13, each followed by a Luhn mod 32 check character (as
/// Syncthing does), and the 56 characters shown in eight groups of seven joined by dashes:
/// `MFZWI3D-BONSGYC-…`. Parsing accepts that form or the 56 characters without dashes, in either
/// case, and refuses anything else — every single-character substitution of a valid id is refused.
public struct DeviceID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The SHA-256 of the device's public key.
    public let bytes: [UInt8]

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// An id from the 32 bytes of a public key's SHA-256.
    public init?(sha256 bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses an id as `description` writes it (case-insensitive; dashes all in place or all absent).
    public init(_ text: String) throws(TransportError) {
        let units = Array(text.utf8).map { unit -> UInt8 in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(unit) ? unit - 32 : unit
        }
        var characters: [UInt8]
        if units.count == 63 {
            characters = []
            for (index, unit) in units.enumerated() {
                if index % 8 == 7 {
                    guard unit == UInt8(ascii: "-") else { throw DeviceID.invalid(text, "a dash belongs after every seven characters") }
                } else {
                    characters.append(unit)
                }
            }
        } else if units.count == 56 {
            characters = units
        } else {
            throw DeviceID.invalid(text, "a device id is 56 characters in eight groups of seven")
        }
        var values: [UInt8] = []
        values.reserveCapacity(56)
        for unit in characters {
            guard let value = DeviceID.alphabet.firstIndex(of: unit) else {
                throw DeviceID.invalid(text, "\"\(Character(Unicode.Scalar(unit)))\" is not one of A–Z 2–7")
            }
            values.append(UInt8(value))
        }
        var data: [UInt8] = []
        for group in 0..<4 {
            let chunk = Array(values[(group * 14)..<(group * 14 + 13)])
            guard DeviceID.luhn32(chunk) == values[group * 14 + 13] else {
                throw DeviceID.invalid(text, "the check character of group \(group + 1) does not match: a character is mistyped")
            }
            data += chunk
        }
        // 52 characters × 5 bits = 260 bits: the last 4 must be zero, as base32 writes them.
        guard data[51] & 0x0F == 0 else { throw DeviceID.invalid(text, "the last character cannot end a 32-byte id") }
        bytes = DeviceID.base32Decode(data)
    }

    /// The canonical form: eight dash-separated groups of seven characters.
    public var description: String {
        let values = DeviceID.base32Encode(bytes)
        var withChecks: [UInt8] = []
        for group in 0..<4 {
            let chunk = Array(values[(group * 13)..<(group * 13 + 13)])
            withChecks += chunk
            withChecks.append(DeviceID.luhn32(chunk))
        }
        var out: [UInt8] = []
        for (index, value) in withChecks.enumerated() {
            if index > 0 && index % 7 == 0 { out.append(UInt8(ascii: "-")) }
            out.append(DeviceID.alphabet[Int(value)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first group, enough to tell devices apart in a list.
    public var short: String { String(description.prefix(7)) }

    /// The SHA-256 in lowercase hex.
    public var hex: String { bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() }

    /// The replica id of every store this device writes: the first 16 bytes of the id (both are
    /// SHA-256 of the device's Ed25519 key, Protocol.md 2.8), so a relayed op names its device.
    public var replica: ReplicaID { ReplicaID(bytes: bytes.prefix(16))! }

    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try DeviceID(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Encoding

    private static func invalid(_ text: String, _ reason: String) -> TransportError {
        TransportError(.invalidDeviceID, "invalid device id \"\(text)\": \(reason)")
    }

    /// Luhn mod 32 over 5-bit values, exactly as Syncthing computes it: the factor starts at 1 on
    /// the first character and alternates 1, 2, 1, 2…; the check value makes the sum 0 mod 32.
    static func luhn32(_ values: [UInt8]) -> UInt8 {
        var factor = 1
        var sum = 0
        for value in values {
            var addend = factor * Int(value)
            factor = factor == 2 ? 1 : 2
            addend = addend / 32 + addend % 32
            sum += addend
        }
        return UInt8((32 - sum % 32) % 32)
    }

    /// 5-bit values, most significant bits first, the last value padded with zero bits.
    static func base32Encode(_ bytes: [UInt8]) -> [UInt8] {
        var values: [UInt8] = []
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                values.append(UInt8((buffer >> (bits - 5)) & 31))
                bits -= 5
            }
        }
        if bits > 0 { values.append(UInt8((buffer << (5 - bits)) & 31)) }
        return values
    }

    static func base32Decode(_ values: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = 0
        var bits = 0
        for value in values {
            buffer = (buffer << 5 | Int(value)) & 0xFFFF
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return bytes
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
