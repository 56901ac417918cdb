import Testing
@testable import Sealing

private func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

@Suite("Sealing primitives against their RFCs")
struct SealingPrimitiveTests {
    @Test("X25519 agrees as RFC 7748 section 6.1 says")
    func x25519Vectors() throws {
        let alice = try SealingKey(privateKey: hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        let bob = try SealingKey(privateKey: hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
        #expect(alice.publicKey == hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"))
        #expect(bob.publicKey == hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"))
        let shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        #expect(alice.agree(with: bob.publicKey) == shared)
        #expect(bob.agree(with: alice.publicKey) == shared)
        // A point of small order gives the all-zero secret: refused.
        #expect(alice.agree(with: [UInt8](repeating: 0, count: 32)) == nil)
    }

    @Test("HKDF-SHA-256 gives RFC 5869's test case 1")
    func hkdfVector() {
        let okm = Digests.hkdf(secret: [UInt8](repeating: 0x0b, count: 22), salt: hex("000102030405060708090a0b0c"),
                               info: hex("f0f1f2f3f4f5f6f7f8f9"), length: 42)
        #expect(okm == hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"))
    }

    @Test("an Ed25519 key from a seed signs as RFC 8032 test 1 says")
    func ed25519Vector() throws {
        let key = try SigningKey(seed: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(key.publicKey == hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
        let signature = try key.sign([])
        #expect(signature == hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
        #expect(SigningKey.verify(signature: signature, of: [], publicKey: key.publicKey))
        #expect(!SigningKey.verify(signature: signature, of: [0], publicKey: key.publicKey))
    }

    @Test("the sealing key made from a device seed is the one its Ed25519 public key converts to")
    func edwardsToMontgomery() throws {
        for _ in 0..<20 {
            let seed = try Digests.random(32)
            let device = try SigningKey(seed: seed)
            let sealing = try SealingKey(ed25519Seed: seed)
            #expect(SealingKey.publicKey(ofEd25519: device.publicKey) == sealing.publicKey)
        }
        #expect(SealingKey.publicKey(ofEd25519: [UInt8](repeating: 0xFF, count: 32)) == nil, "y ≥ p is no point")
    }
}

@Suite("Envelopes")
struct EnvelopeTests {
    @Test("every recipient opens it; others, another binding or a changed byte open nothing")
    func roundTrip() throws {
        let reps = try (0..<3).map { _ in try SealingKey.random() }
        let stranger = try SealingKey.random()
        let content = Array("caseload 31".utf8)
        let binding: [UInt8] = Array(repeating: 7, count: 16)
        let sealed = try Envelope.seal(content, for: reps.map(\.publicKey), binding: binding)
        #expect(Int(sealed[1]) % Envelope.slotGranularity == 0)
        #expect(Int(sealed[1]) == 8)
        // Padding slots look like real ones: each begins with an X25519 key (top bit clear).
        for slot in 0..<Int(sealed[1]) { #expect(sealed[2 + slot * Envelope.slotBytes + 31] & 0x80 == 0) }
        for rep in reps { #expect(Envelope.open(sealed, with: rep, binding: binding) == content) }
        #expect(Envelope.open(sealed, with: stranger, binding: binding) == nil)
        #expect(Envelope.open(sealed, with: reps[0], binding: Array(repeating: 8, count: 16)) == nil)
        // A changed byte of the version, the count or the content opens nothing.
        let contentStart = 2 + Int(sealed[1]) * Envelope.slotBytes
        for index in [0, 1, contentStart, contentStart + 5, sealed.count - 17, sealed.count - 1] {
            var tampered = sealed
            tampered[index] ^= 1
            #expect(Envelope.open(tampered, with: reps[1], binding: binding) == nil, "byte \(index)")
        }
        // A changed byte of a slot spoils that slot only: never another content, for anyone.
        var spoiled = 0
        for index in stride(from: 2, to: contentStart, by: 7) {
            var tampered = sealed
            tampered[index] ^= 1
            for rep in reps {
                let opened = Envelope.open(tampered, with: rep, binding: binding)
                #expect(opened == nil || opened == content)
                if opened == nil { spoiled += 1 }
            }
        }
        #expect(spoiled > 0)
        #expect(Envelope.open(Array(sealed.prefix(10)), with: reps[0], binding: binding) == nil)
        #expect(!sealed.contains(subsequence: content))
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<$0 + subsequence.count]) == subsequence }
    }
}
