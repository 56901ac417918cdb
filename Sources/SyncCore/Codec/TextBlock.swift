/// A small LZ77 compressor for the text of a batch, with a total decompressor.
///
/// Meant for the insertion text of a whole batch gathered into one block (the editing trace's
/// 182,315 inserted bytes are most of its encoded history). The stream is a sequence of tokens,
/// each with every length a varint, so there is no bit twiddling to get wrong:
///
/// ```
/// varint   L            literal bytes that follow (may be 0)
/// L ×      u8           the literals
///          (the stream ends here once the declared size is produced)
/// varint   M            match length − 4
/// varint   D            match distance − 1: copy M + 4 bytes starting D + 1 bytes back
/// ```
///
/// The decompressed size is declared by the caller (it travels before the stream) and capped by
/// a limit, so decompressing never allocates more than the cap, however small the input is; a
/// literal run or match that would pass the declared size, a distance reaching before the
/// start, and bytes left over after the declared size is reached are all refused.
public enum TextBlock {
    /// The shortest match the stream can express.
    public static let minimumMatch = 4
    /// Candidate positions the compressor tries per match; more compresses a little better, slower.
    static let chainDepth = 48

    /// Compresses `input`. Deterministic: the same input always gives the same stream.
    ///
    /// Greedy LZ77 with one step of lazy matching: at each position the longest match among
    /// the last `chainDepth` earlier positions with the same 4-byte hash, kept only when it
    /// saves bytes over literals (`MatchFinder`). Its output is part of the wire's conformance
    /// fixtures, so a faster search must choose exactly the same matches.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        let count = input.count
        guard count > 0 else { return [] }
        var writer = ByteWriter(capacity: count / 2 + 16)
        input.withUnsafeBufferPointer { bytes in
            var finder = MatchFinder(bytes)
            defer { finder.deallocate() }
            var literalStart = 0
            var position = 0
            while position < count {
                finder.index(upTo: position)
                var match = finder.longestMatch(at: position)
                guard match.length > 0 else {
                    position += 1
                    continue
                }
                // One step of lazy matching: a longer match one byte on wins over this one.
                finder.index(upTo: position + 1)
                let next = finder.longestMatch(at: position + 1)
                if next.length > match.length + 1 {
                    position += 1
                    match = next
                }
                writer.varint(position - literalStart)
                writer.raw(input[literalStart..<position])
                writer.varint(match.length - minimumMatch)
                writer.varint(match.distance - 1)
                position += match.length
                literalStart = position
            }
            if literalStart < count {
                writer.varint(count - literalStart)
                writer.raw(input[literalStart..<count])
            }
        }
        return writer.bytes
    }

    /// Decompresses a stream that must produce exactly `size` bytes, `size` at most `limit`.
    /// Total: any input gives the bytes or a `CodecError`, never a trap.
    public static func decompress(_ stream: ArraySlice<UInt8>, size: Int, limit: Int) throws(CodecError) -> [UInt8] {
        var reader = ByteReader(Array(stream))
        guard size >= 0, size <= limit else {
            throw CodecError(.lengthOutOfRange, at: 0, "text block of \(size) bytes exceeds the limit of \(limit)")
        }
        var output: [UInt8] = []
        // Reserve only what the stream could plausibly need; a forged size grows the array as
        // it is actually produced, still never past `size`.
        output.reserveCapacity(min(size, stream.count &* 4 &+ 64))
        while output.count < size {
            let literalOffset = reader.offset
            let literals = try reader.varint()
            guard literals <= UInt64(size - output.count) else {
                throw CodecError(.invalidValue, at: literalOffset, "literals run past the declared size")
            }
            output.append(contentsOf: try reader.raw(Int(literals)))
            if output.count == size { break }
            let matchOffset = reader.offset
            let extra = try reader.varint()
            let distanceCode = try reader.varint()
            let left = size - output.count
            guard left >= minimumMatch, extra <= UInt64(left - minimumMatch) else {
                throw CodecError(.invalidValue, at: matchOffset, "match runs past the declared size")
            }
            guard distanceCode < UInt64(output.count) else {
                throw CodecError(.invalidValue, at: matchOffset, "match reaches before the start of the text")
            }
            let length = Int(extra) + minimumMatch
            var from = output.count - Int(distanceCode) - 1
            for _ in 0..<length {
                output.append(output[from])
                from += 1
            }
        }
        guard reader.isAtEnd else {
            throw CodecError(.trailingBytes, at: reader.offset, "\(reader.remaining) bytes after the text block's last token")
        }
        return output
    }

    /// Bytes the stream spends on a match, beyond what literals would.
    static func matchCost(length: Int, distance: Int) -> Int {
        varintSize(UInt64(length - minimumMatch)) + varintSize(UInt64(distance - 1)) + 1
    }

    static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }
}
