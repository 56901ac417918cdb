import Testing
@testable import SyncCore

@Suite("Counting Unicode scalars")
struct ScalarCountTests {
    /// The byte-counting shortcut agrees with the standard library on ASCII, on every UTF-8 length
    /// (1–4 bytes), on combining sequences and emoji, and on seeded random text.
    @Test func agreesWithUnicodeScalars() {
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
        for sample in samples {
            #expect(sample.unicodeScalarCount == sample.unicodeScalars.count, "\(sample.debugDescription)")
        }
        // A substring's bytes are counted alike.
        let text = "👩🏽‍⚕️ supervision cancelled"
        let tail = String(text.dropFirst(3))
        #expect(tail.unicodeScalarCount == tail.unicodeScalars.count)
    }
}
