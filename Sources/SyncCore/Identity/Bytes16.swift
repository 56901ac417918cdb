/// Sixteen bytes held as two big-endian words, so that comparing the words compares the bytes.
///
/// Every identifier in fieldnote is 16 bytes; sharing one representation keeps ordering,
/// hashing and hex formatting identical across them.
@usableFromInline
struct Bytes16: Hashable, Comparable, Sendable {
    @usableFromInline var high: UInt64
    @usableFromInline var low: UInt64

    @inlinable init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// `@inlinable` so that callers in other modules get a specialised copy: unspecialised, this
    /// generic initialiser instantiated type metadata per call, and reading ids back from SQLite
    /// blobs spent a tenth of a sync's instructions here (callgrind).
    @inlinable init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 16 else { return nil }
        if let words = bytes.withContiguousStorageIfAvailable({ buffer in
            let raw = UnsafeRawBufferPointer(buffer)
            return (UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }) {
            self.init(high: words.0, low: words.1)
            return
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var index = 0
        for byte in bytes {
            if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            index += 1
        }
        self.init(high: high, low: low)
    }

    /// The id in 16 bytes of raw memory (a SQLite blob, a frame), nil unless exactly 16 long.
    @inlinable init?(raw: UnsafeRawBufferPointer) {
        guard raw.count == 16 else { return nil }
        self.init(high: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                  low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    init?(hex: some StringProtocol) {
        guard hex.utf8.count == 32 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var pending: UInt8? = nil
        for unit in hex.utf8 {
            guard let nibble = Bytes16.nibble(unit) else { return nil }
            if let high = pending {
                bytes.append(high << 4 | nibble)
                pending = nil
            } else {
                pending = nibble
            }
        }
        self.init(bytes: bytes)
    }

    var bytes: [UInt8] {
        (0..<16).map { index in
            index < 8 ? UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
                : UInt8(truncatingIfNeeded: low >> (56 - 8 * (index - 8)))
        }
    }

    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inlinable static func < (lhs: Bytes16, rhs: Bytes16) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    private static func nibble(_ unit: UInt8) -> UInt8? {
        switch unit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return unit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return unit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return unit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
