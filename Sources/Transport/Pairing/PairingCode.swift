import Foundation

/// A one-time pairing code, read aloud from one device and typed on the other: a channel number
/// and three words, `7-orbit-hazel-anchor` (Protocol.md 4.1). The whole code is the SPAKE2
/// password; the channel lets a device that waits for one pairing refuse a code meant for another
/// without spending its own.
public struct PairingCode: Sendable, Hashable, CustomStringConvertible {
    public static let wordCount = 3
    public static let channels = 1...99

    public let channel: Int
    public let words: [String]

    /// A fresh code from the system's CSPRNG: about 36.6 bits (99 channels × 1024³ words), of
    /// which an attacker gets one guess per pairing.
    public static func random() -> PairingCode {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<wordCount).map { _ in PairingWords.all[Int.random(in: 0..<PairingWords.all.count, using: &generator)] }
        return PairingCode(channel: Int.random(in: channels, using: &generator), words: words)
    }

    init(channel: Int, words: [String]) {
        self.channel = channel
        self.words = words
    }

    /// Reads a code as people type it: any case, dashes or spaces between the parts.
    public init(_ text: String) throws(TransportError) {
        let parts = text.lowercased().split(whereSeparator: { $0 == "-" || $0 == " " || $0 == "." }).map(String.init)
        guard parts.count == Self.wordCount + 1, let channel = Int(parts[0]), Self.channels.contains(channel) else {
            throw TransportError(.malformed, "\"\(text)\" is not a pairing code: a number and \(Self.wordCount) words, like 7-orbit-hazel-anchor")
        }
        let known = Set(PairingWords.all)
        if let unknown = parts.dropFirst().first(where: { !known.contains($0) }) {
            throw TransportError(.malformed, "\"\(unknown)\" is not a word of pairing codes: check the code as the other device shows it")
        }
        self.init(channel: channel, words: Array(parts.dropFirst()))
    }

    public var description: String { ([String(channel)] + words).joined(separator: "-") }

    /// The SPAKE2 password: the code as written above, in UTF-8.
    var password: [UInt8] { Array(description.utf8) }
}
