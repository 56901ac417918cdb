import Foundation
import Testing
@testable import Transport

@Suite("Device identity and ids")
struct IdentityTests {
    @Test func identityIsMadeOnceAndKept() throws {
        let temporary = TemporaryDirectory()
        let first = try DeviceIdentity.loadOrCreate(in: temporary.url)
        #expect(first.wasCreated)
        let again = try DeviceIdentity.loadOrCreate(in: temporary.url)
        #expect(!again.wasCreated)
        #expect(again.id == first.id)
        let keyMode = try FileManager.default.attributesOfItem(atPath: first.keyURL.path)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        #expect(first.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        let otherDirectory = TemporaryDirectory()
        let other = try DeviceIdentity.loadOrCreate(in: otherDirectory.url)
        #expect(other.id != first.id)
    }

    /// The id is the SHA-256 of the device's raw Ed25519 public key, as the system's openssl
    /// computes it (the last 32 bytes of the key's DER SubjectPublicKeyInfo), and its first 16
    /// bytes are the store's replica id.
    @Test func idIsTheSHA256OfTheKey() throws {
        let temporary = TemporaryDirectory()
        let identity = try DeviceIdentity.loadOrCreate(in: temporary.url)
        let publicKey = temporary.url.appendingPathComponent("public.der")
        _ = try run("/usr/bin/openssl", ["pkey", "-in", identity.keyURL.path, "-pubout", "-outform", "DER", "-out", publicKey.path])
        let raw = temporary.url.appendingPathComponent("public.raw")
        try Data(try Data(contentsOf: publicKey).suffix(32)).write(to: raw)
        let output = try run("/usr/bin/openssl", ["dgst", "-sha256", "-r", raw.path])
        #expect(String(output.prefix(64)) == identity.id.hex)
        #expect(identity.id.replica == identity.replica)
        let text = try run("/usr/bin/openssl", ["x509", "-in", identity.certificateURL.path, "-noout", "-text"])
        #expect(text.contains("ED25519"))
    }

    @Test func formatRoundTripsWithCheckCharacters() throws {
        for seed in 0..<50 {
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) | UInt8(seed % 2) }
            let id = DeviceID(sha256: bytes)!
            let text = id.description
            #expect(text.count == 63)
            #expect(text.split(separator: "-").map(\.count) == Array(repeating: 7, count: 8))
            #expect(try DeviceID(text) == id)
            #expect(try DeviceID(text.lowercased()) == id)
            #expect(try DeviceID(text.replacingOccurrences(of: "-", with: "")) == id)
        }
        #expect(throws: TransportError.self) { try DeviceID("") }
        #expect(throws: TransportError.self) { try DeviceID("ABC") }
    }

    /// Every single-character substitution of a valid id is refused: each group's Luhn mod 32
    /// check character catches a wrong character, a separator out of place changes the shape.
    @Test func everySingleSubstitutionIsRefused() throws {
        let temporary = TemporaryDirectory()
        let id = try DeviceIdentity.loadOrCreate(in: temporary.url).id
        let text = Array(id.description)
        let replacements = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") + Array("01890-_ ")
        var tried = 0
        for index in text.indices {
            for replacement in replacements where replacement != text[index] {
                var mistyped = text
                mistyped[index] = replacement
                tried += 1
                #expect(throws: TransportError.self, "\(String(mistyped))") { try DeviceID(String(mistyped)) }
            }
        }
        #expect(tried > 63 * 30)
        do {
            var mistyped = text
            mistyped[3] = mistyped[3] == "A" ? "B" : "A"
            _ = try DeviceID(String(mistyped))
            Issue.record("accepted a mistyped id")
        } catch {
            #expect(error.code == .invalidDeviceID)
        }
    }
}

/// Runs a program, returning its standard output and error together.
@discardableResult
func run(_ path: String, _ arguments: [String], input: Data? = nil, timeout: Double = 20) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(input) }
    try? stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
