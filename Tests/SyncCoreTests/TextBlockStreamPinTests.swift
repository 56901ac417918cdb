import Testing
@testable import SyncCore

/// The compressor's streams are part of the wire's conformance fixtures, so a faster search
/// (`TextBlock.MatchFinder`) must choose exactly the matches the first one chose. These are the
/// sizes and FNV-1a digests of the streams that first compressor (every candidate compared in
/// full) produced for 28 inputs: random text, random bytes, a three-letter alphabet, a run of
/// one byte, and repeats 40 KB apart (distances of three varint bytes).
@Suite("Text block compression: the same streams as the first compressor")
struct TextBlockStreamPinTests {
    /// (input bytes, stream bytes, FNV-1a 64 of the stream), in the order of `inputs()`.
    static let pinned: [(input: Int, stream: Int, digest: UInt64)] = [
        (776, 778, 0x71c20759d03b793a),
        (2836, 1609, 0x40e579fe409bfe53),
        (4285, 819, 0x76864dde3ac6cdb6),
        (11864, 4443, 0x7702403586ab850f),
        (8454, 8456, 0x079b8bd1cd4f80e1),
        (8259, 4340, 0x9aef966fc19dc345),
        (325, 183, 0x500e3174263b9eac),
        (14533, 6370, 0xdbc48381e8550ceb),
        (5956, 5958, 0x336a23f88a54f84e),
        (3914, 2150, 0x8e94fafbaafd7450),
        (7825, 3966, 0x6717ef55eb0d8dc3),
        (14894, 5897, 0x569e6ada133c32bf),
        (10412, 10414, 0xf2ebdbf86800d8b4),
        (15612, 8122, 0x391908826b577395),
        (18879, 6336, 0x1e3830dcc2247f6b),
        (11675, 3890, 0x695349ea47ddc0af),
        (15182, 15184, 0x87c37e6f09cb5643),
        (10735, 5651, 0x12262594e9033bec),
        (18604, 1866, 0xb094c97e4742621f),
        (5457, 2240, 0xe23c860267ecdeb7),
        (19749, 19752, 0x6c96fb4ab7b16ee6),
        (14399, 7485, 0xb6cc5000bd469e91),
        (6786, 3277, 0xbf7a971f9a0538f9),
        (9183, 1643, 0x56fa6ad13938250a),
        (5000, 5, 0xb1dd83cef1223b33),
        (40483, 40066, 0x1997328ed7782295),
        (12200, 58, 0x16cafc314ae2030a),
        (11, 10, 0xea622b825a02f5ac)
    ]

    @Test func streamsAreTheFirstCompressors() throws {
        let inputs = Self.inputs()
        #expect(inputs.count == Self.pinned.count)
        for (input, pin) in zip(inputs, Self.pinned) {
            let stream = TextBlock.compress(input)
            #expect(input.count == pin.input)
            #expect(stream.count == pin.stream && Self.fnv1a(stream) == pin.digest, "input of \(input.count) bytes")
            #expect(try TextBlock.decompress(stream[...], size: input.count, limit: input.count) == input)
        }
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    static func inputs() -> [[UInt8]] {
        var inputs: [[UInt8]] = []
        for seed in UInt64(0)..<24 {
            var generator = SplitMix64(seed: seed &+ 1_000)
            let length = Int(generator.next() % 20_000)
            let alphabet = Int(generator.next() % 60) + 1
            var input = TextBlockTests.randomText(&generator, length: length, alphabet: alphabet)
            switch seed % 4 {
            case 0: input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case 1: input = (0..<length).map { _ in UInt8.random(in: 97...99, using: &generator) }
            default: break
            }
            inputs.append(input)
        }
        let phrase = Array("Supervision cancelled again, third week without supervision. ".utf8)
        var generator = SplitMix64(seed: 7)
        let noise = (0..<40_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        inputs += [
            Array(repeating: 65, count: 5_000),
            phrase + noise + phrase + noise.prefix(300) + phrase,
            Array((0..<200).map { _ in phrase }.joined()),
            Array("abcd".utf8) + Array(repeating: 0, count: 3) + Array("abcd".utf8),
        ]
        return inputs
    }
}
