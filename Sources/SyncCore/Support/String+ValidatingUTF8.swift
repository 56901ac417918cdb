extension String {
    /// `String(validating: bytes, as: UTF8.self)`, fast for ASCII.
    ///
    /// Why: the standard library validates a generic sequence through an unspecialised path
    /// that asks the runtime for type metadata as it goes: about a tenth of the instructions of
    /// decoding and applying an editing history (callgrind).
    /// Nearly every note is ASCII: those bytes are checked in one pass and copied as they are,
    /// which is valid UTF-8 by construction. Anything else takes the standard validation.
    @inlinable public init?(utf8Validating bytes: ArraySlice<UInt8>) {
        let decoded = bytes.withUnsafeBufferPointer { buffer -> String? in
            buffer.isASCII ? String(decoding: buffer, as: UTF8.self) : nil
        }
        if let decoded {
            self = decoded
        } else if let validated = String(validating: bytes, as: UTF8.self) {
            self = validated
        } else {
            return nil
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether every byte is below 0x80: one pass, no early exit, which the compiler vectorises.
    @inlinable @usableFromInline var isASCII: Bool {
        var high: UInt8 = 0
        for byte in self { high |= byte }
        return high < 0x80
    }
}
