import SyncCore

/// SHA-256 (FIPS 180-4), so the bench can fingerprint the text it produced without a crypto
/// package: two runs, two machines, or two implementations agree exactly when the digests do.
struct SHA256 {
    /// The digest of `message` as lowercase hex, as `sha256sum` prints it.
    static func hex(_ message: some Collection<UInt8>) -> String {
        digest(message).map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
    }

    static func digest(_ message: some Collection<UInt8>) -> [UInt8] {
        SHA256Digest.hash(Array(message))
    }
}
