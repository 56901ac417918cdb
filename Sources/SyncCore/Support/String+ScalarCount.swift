extension String {
    /// The number of Unicode scalars, counted from the UTF-8 bytes: every byte that does not
    /// continue a multi-byte sequence starts a scalar.
    ///
    /// Why: an insertion's span is its scalar count, asked for by delivery, the codec and the
    /// store several times per op, and `unicodeScalars.count` decodes every scalar: on a sync of
    /// short notes that counting was 5 % of all instructions (callgrind). Counting lead bytes
    /// touches each byte once, with no decoding.
    @inlinable public var unicodeScalarCount: Int {
        if let count = utf8.withContiguousStorageIfAvailable({ bytes in
            var count = 0
            for byte in bytes where byte & 0xC0 != 0x80 { count &+= 1 }
            return count
        }) {
            return count
        }
        return unicodeScalars.count
    }

    /// The Unicode scalars as an array, decoded once.
    ///
    /// Why: `Array(unicodeScalars)` walks the view twice, once to count and once to copy,
    /// decoding every scalar both times; integrating a received insertion spent almost a third
    /// of its instructions there (callgrind, the editing trace's merge). ASCII, nearly every
    /// note, is copied byte for byte.
    @inlinable public var unicodeScalarArray: [Unicode.Scalar] {
        let contiguous = utf8.withContiguousStorageIfAvailable { bytes -> [Unicode.Scalar]? in
            guard bytes.isASCII else { return nil }
            return [Unicode.Scalar](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
                for index in bytes.indices { buffer[index] = Unicode.Scalar(bytes[index]) }
                initialized = bytes.count
            }
        }
        if let contiguous, let ascii = contiguous { return ascii }
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(unicodeScalarCount)
        scalars.append(contentsOf: unicodeScalars)
        return scalars
    }
}
