import Testing
@testable import SyncCore

/// The batch text compressor: exact round trips, and a decompressor that is total and never
/// produces (or allocates for) more than the declared, limited size.
@Suite("Text block compression")
struct TextBlockTests {
    static func roundTrip(_ input: [UInt8]) throws -> [UInt8] {
        let stream = TextBlock.compress(input)
        let output = try TextBlock.decompress(stream[...], size: input.count, limit: input.count)
        #expect(output == input)
        #expect(TextBlock.compress(input) == stream, "compression is deterministic")
        return stream
    }

    static func randomText(_ generator: inout SplitMix64, length: Int, alphabet: Int) -> [UInt8] {
        let words: [[UInt8]] = (0..<alphabet).map { _ in
            (0..<Int.random(in: 1...9, using: &generator)).map { _ in UInt8.random(in: 97...122, using: &generator) }
        }
        var out: [UInt8] = []
        while out.count < length {
            out.append(contentsOf: words[Int.random(in: 0..<words.count, using: &generator)])
            out.append(generator.next() % 7 == 0 ? 10 : 32)
        }
        return Array(out.prefix(length))
    }

    @Test func emptyAndTinyInputsRoundTrip() throws {
        #expect(try Self.roundTrip([]) == [])
        for length in 1...12 { _ = try Self.roundTrip(Array(repeating: UInt8(65), count: length)) }
        _ = try Self.roundTrip(Array("abcabcabcabcabcabc".utf8))
        _ = try Self.roundTrip(Array("naïve café — “quotes” 🙂 über".utf8))
    }

    @Test(arguments: 0..<40) func randomTextRoundTrips(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let length = Int(generator.next() % 5_000)
        let alphabet = Int(generator.next() % 50) + 1
        var input = Self.randomText(&generator, length: length, alphabet: alphabet)
        if seed % 3 == 0 { input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        _ = try Self.roundTrip(input)
    }

    @Test func repetitiveTextCompresses() throws {
        let input = Array(String(repeating: "the caseload is too high; ", count: 400).utf8)
        let stream = try Self.roundTrip(input)
        #expect(stream.count < input.count / 20)
    }

    /// Decompresses untrusted bytes; whatever comes back is exactly `size` bytes.
    static func check(_ stream: [UInt8], size: Int, limit: Int) {
        if let output = try? TextBlock.decompress(stream[...], size: size, limit: limit) {
            #expect(output.count == size)
        }
    }

    @Test func truncationsAndBitFlipsNeverTrap() throws {
        var generator = SplitMix64(seed: 7)
        let input = Self.randomText(&generator, length: 3_000, alphabet: 30)
        let stream = TextBlock.compress(input)
        for cut in 0..<stream.count {
            #expect(throws: CodecError.self) { try TextBlock.decompress(stream[..<cut], size: input.count, limit: input.count) }
        }
        for _ in 0..<3_000 {
            var flipped = stream
            let index = Int(generator.next() % UInt64(flipped.count))
            flipped[index] ^= UInt8(1) << UInt8(generator.next() % 8)
            Self.check(flipped, size: input.count, limit: input.count)
        }
        // Bytes after the last token, and a wrong declared size, are refused.
        #expect(throws: CodecError.self) { try TextBlock.decompress((stream + [0])[...], size: input.count, limit: input.count) }
        #expect(throws: CodecError.self) { try TextBlock.decompress(stream[...], size: input.count - 1, limit: input.count) }
        #expect(throws: CodecError.self) { try TextBlock.decompress(stream[...], size: input.count + 1, limit: input.count + 1) }
    }

    @Test func randomStreamsNeverTrap() {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<5_000 {
            let length = Int(generator.next() % 40)
            let stream = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            Self.check(stream, size: Int(generator.next() % 300), limit: 300)
        }
    }

    /// A few bytes declaring a huge text: refused past the limit before anything is allocated,
    /// and within the limit only as much as the matches really produce, all of it checked.
    @Test func decompressionBombsAreBounded() throws {
        // Literal "a", then a match of 2^40 bytes at distance 1: a varint of 6 bytes.
        var writer = ByteWriter()
        writer.varint(1)
        writer.byte(97)
        writer.varint(UInt64(1) << 40)
        writer.varint(0)
        #expect(throws: CodecError.self) { try TextBlock.decompress(writer.bytes[...], size: 1 << 41, limit: 1 << 20) }
        // Within the limit the match must still fit the declared size exactly.
        #expect(throws: CodecError.self) { try TextBlock.decompress(writer.bytes[...], size: 1 << 16, limit: 1 << 20) }
        // A distance reaching before the start.
        var before = ByteWriter()
        before.varint(1)
        before.byte(97)
        before.varint(0)
        before.varint(1)
        #expect(throws: CodecError.self) { try TextBlock.decompress(before.bytes[...], size: 5, limit: 5) }
        // A legitimate run: 1 literal and a 99,999-byte overlapping match.
        var run = ByteWriter()
        run.varint(1)
        run.byte(97)
        run.varint(UInt64(99_999 - TextBlock.minimumMatch))
        run.varint(0)
        #expect(try TextBlock.decompress(run.bytes[...], size: 100_000, limit: 100_000) == Array(repeating: 97, count: 100_000))
        // A negative size is refused too.
        #expect(throws: CodecError.self) { try TextBlock.decompress([][...], size: -1, limit: 10) }
    }

    /// Streams written token by token, with matches at every distance from 1 (each byte repeats
    /// the one before) to the whole output, overlapping what they produce or not, decode to what
    /// copying a byte at a time from the stream's own definition gives.
    @Test func matchesOfEveryOverlapDecodeByteForByte() throws {
        var generator = SplitMix64(seed: 31)
        for _ in 0..<300 {
            var stream = ByteWriter(capacity: 64)
            var expected: [UInt8] = []
            for token in 0..<Int.random(in: 1...12, using: &generator) {
                let literals = (0..<Int.random(in: token == 0 ? 1...6 : 0...6, using: &generator)).map { _ in
                    UInt8.random(in: 97...100, using: &generator)
                }
                stream.varint(literals.count)
                stream.raw(literals[...])
                expected += literals
                let length = Int.random(in: TextBlock.minimumMatch...40, using: &generator)
                let distance = Int.random(in: 1...expected.count, using: &generator)
                stream.varint(length - TextBlock.minimumMatch)
                stream.varint(distance - 1)
                for _ in 0..<length { expected.append(expected[expected.count - distance]) }
            }
            let output = try TextBlock.decompress(stream.bytes[...], size: expected.count, limit: expected.count)
            #expect(output == expected)
        }
    }
}
