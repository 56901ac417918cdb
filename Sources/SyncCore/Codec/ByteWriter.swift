/// Appends the primitive encodings of Protocol.md to a byte buffer.
///
/// Unsigned integers are LEB128 varints (7 bits a byte, low bits first); signed integers are
/// zigzag-mapped first so that small negative numbers stay small; strings and byte strings are
/// a varint length followed by the bytes (strings as UTF-8).
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// Empties the buffer and keeps its storage, to write the next item into the same memory.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    public mutating func varint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    public mutating func varint(_ value: Int) { varint(UInt64(value)) }

    public mutating func signedVarint(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func raw(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    public mutating func lengthPrefixed(_ data: some Collection<UInt8>) {
        varint(UInt64(data.count))
        bytes.append(contentsOf: data)
    }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { lengthPrefixed($0) }
    }

    /// Eight bytes, big-endian: for values whose bits are all significant (doubles, hashes).
    public mutating func fixed64(_ value: UInt64) {
        // One append of eight bytes, not eight appends: every op's ids pass through here.
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

extension ByteWriter {
    mutating func bytes16(high: UInt64, low: UInt64) {
        fixed64(high)
        fixed64(low)
    }
}
