import Testing
@testable import SyncCore

@Suite("Counting Unicode scalars")
struct ScalarCountTests {
    /// ASCII, every UTF-8 length (1–4 bytes), combining sequences, emoji and seeded random text.
    static func samples() -> [String] {
        var samples = ["", "a", "caseload 31", "é", "e\u{301}", "日本語", "👩🏽‍⚕️ visit", "\u{10FFFF}\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}"]
        var random = SplitMix64(seed: 5)
        for _ in 0..<500 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(random.next() % 40) {
                let limits: [UInt32] = [0x80, 0x800, 0x1_0000, 0x11_0000]
                let value = UInt32(truncatingIfNeeded: random.next()) % limits[Int(random.next() % 4)]
                if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            }
            samples.append(String(scalars))
        }
        return samples
    }

    /// The byte-counting shortcut agrees with the standard library.
    @Test func agreesWithUnicodeScalars() {
        for sample in Self.samples() {
            #expect(sample.unicodeScalarCount == sample.unicodeScalars.count, "\(sample.debugDescription)")
        }
        // A substring's bytes are counted alike.
        let text = "👩🏽‍⚕️ supervision cancelled"
        let tail = String(text.dropFirst(3))
        #expect(tail.unicodeScalarCount == tail.unicodeScalars.count)
    }

    @Test func scalarArrayAgreesWithUnicodeScalars() {
        for sample in Self.samples() + [String(repeating: "caseload ", count: 40)] {
            #expect(sample.unicodeScalarArray == Array(sample.unicodeScalars), "\(sample.debugDescription)")
        }
    }

    /// The ASCII shortcut accepts what the standard library accepts and refuses what it refuses,
    /// including a high byte hidden among ASCII, truncated sequences and encoded surrogates.
    @Test func validatingAgreesWithTheStandardLibrary() {
        var inputs = Self.samples().map { Array($0.utf8) }
        inputs += [[0x41, 0x80, 0x41], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xFF], [0xC0, 0xAF],
                   Array(repeating: 0x61, count: 31) + [0xF8]]
        var random = SplitMix64(seed: 8)
        for _ in 0..<2_000 {
            inputs.append((0..<Int(random.next() % 12)).map { _ in
                random.next() % 4 == 0 ? UInt8(truncatingIfNeeded: random.next()) : UInt8(0x20 + random.next() % 0x5F)
            })
        }
        for bytes in inputs {
            // Sliced from a larger array, as the decoder reads them.
            let padded = [0x7A] + bytes + [0x7A]
            let slice = padded[1..<(padded.count - 1)]
            #expect(String(utf8Validating: slice) == String(validating: bytes, as: UTF8.self), "\(bytes)")
        }
    }
}
