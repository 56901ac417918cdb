/// Reads what `ByteWriter` writes, from untrusted input.
///
/// Every read checks the bytes left before it touches them and throws `CodecError` instead of
/// trapping; a length is checked against the bytes actually remaining before anything is
/// allocated for it, so a forged length cannot make the reader allocate more than the input.
public struct ByteReader: Sendable {
    let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
    }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func byte() throws(CodecError) -> UInt8 {
        guard offset < bytes.count else { throw CodecError(.truncated, at: offset, "input ends inside a value") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func varint() throws(CodecError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            if shift == 63 && next > 1 { throw CodecError(.overflow, at: start, "varint does not fit in 64 bits") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 {
                if next == 0 && shift > 0 { throw CodecError(.nonCanonical, at: start, "varint has redundant trailing zero bytes") }
                return result
            }
            shift += 7
        }
    }

    /// A varint that must fit `limit`, typically a count or length about to be used.
    public mutating func count(limit: Int) throws(CodecError) -> Int {
        let start = offset
        let value = try varint()
        guard value <= UInt64(limit) else { throw CodecError(.lengthOutOfRange, at: start, "length \(value) exceeds the \(limit) allowed here") }
        return Int(value)
    }

    public mutating func signedVarint() throws(CodecError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    public mutating func raw(_ length: Int) throws(CodecError) -> ArraySlice<UInt8> {
        guard length >= 0, length <= remaining else { throw CodecError(.truncated, at: offset, "needs \(length) bytes, \(remaining) left") }
        defer { offset += length }
        return bytes[offset..<(offset + length)]
    }

    public mutating func lengthPrefixed() throws(CodecError) -> ArraySlice<UInt8> {
        try raw(try count(limit: remaining))
    }

    public mutating func string() throws(CodecError) -> String {
        let start = offset
        let data = try lengthPrefixed()
        guard let string = String(utf8Validating: data) else {
            throw CodecError(.invalidUTF8, at: start, "string is not valid UTF-8")
        }
        return string
    }

    public mutating func fixed64() throws(CodecError) -> UInt64 {
        try raw(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

extension ByteReader {
    /// A count of elements that each take at least `minimumBytes` bytes of the input that
    /// remains: it must fit both `limit` and what the remaining bytes can hold.
    mutating func count(limit: Int, minimumBytes: Int) throws(CodecError) -> Int {
        let start = offset
        let value = try varint()
        guard value <= UInt64(max(limit, 0)) else {
            throw CodecError(.lengthOutOfRange, at: start, "count \(value) exceeds the limit of \(limit)")
        }
        let fits = remaining / max(minimumBytes, 1)
        guard value <= UInt64(fits) else {
            throw CodecError(.truncated, at: start, "count \(value) needs more than the \(remaining) bytes left")
        }
        return Int(value)
    }

    /// A length-prefixed UTF-8 string of at most `limit` bytes, which must be well-formed
    /// UTF-8 of Unicode scalars (no surrogates, no overlong forms).
    mutating func string(limit: Int) throws(CodecError) -> String {
        let start = offset
        let length = try varint()
        guard length <= UInt64(max(limit, 0)) else {
            throw CodecError(.lengthOutOfRange, at: start, "string of \(length) bytes exceeds the limit of \(limit)")
        }
        guard length <= UInt64(remaining) else {
            throw CodecError(.truncated, at: start, "string of \(length) bytes, \(remaining) left")
        }
        let data = try raw(Int(length))
        guard let string = String(utf8Validating: data) else {
            throw CodecError(.invalidUTF8, at: start, "string is not valid UTF-8")
        }
        return string
    }

    /// Sixteen raw bytes, as every identifier is written.
    mutating func bytes16() throws(CodecError) -> (high: UInt64, low: UInt64) {
        let high = try fixed64()
        let low = try fixed64()
        return (high, low)
    }
}
