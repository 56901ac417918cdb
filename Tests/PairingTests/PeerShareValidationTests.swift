@testable import Pairing
import Testing

/// The order p of P-256's group (SEC 2, FIPS 186-4): no scalar may reach it.
private let groupOrder = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"

@Suite("SPAKE2 refuses what is not a share, and scalars out of range")
struct PeerShareValidationTests {
    /// A real share from the other side, to bend into bad ones.
    private func validShare() throws -> [UInt8] { try party(.partyB, code: "4711").outgoingShare }

    /// Whether a fresh A refuses `share` with `code`, and then refuses a valid share too: a
    /// refusal ends the exchange.
    private func refusedForGood(_ share: [UInt8], _ code: PairingError.Code) throws -> Bool {
        var partyA = try party(.partyA, code: "4711")
        let refused = refuses(code) { try partyA.receivePeerShare(share) }
        let valid = try validShare()
        return refused && refuses(.exchangeOver) { try partyA.receivePeerShare(valid) }
    }

    @Test("a share not 65 bytes of uncompressed SEC1 is malformed, even a valid compressed point")
    func malformedShares() throws {
        let share = try validShare()
        let compressedM = try #require([UInt8](hex: P256Group.encodedM))
        for malformed in [[], Array(share.dropLast()), share + [0], compressedM, [0x05] + share.dropFirst(),
                          [0x02] + share.dropFirst()] {
            #expect(try refusedForGood(malformed, .malformedShare), "\(malformed.hexString)")
        }
    }

    @Test("a share off the curve, or with a coordinate past the field prime, is refused")
    func offCurveShares() throws {
        let share = try validShare()
        let otherY = Array(share.dropLast()) + [share[64] ^ 1]
        let origin = [0x04] + [UInt8](repeating: 0, count: 64)
        let pastPrime = [0x04] + [UInt8](repeating: 0xFF, count: 64)
        for offCurve in [otherY, origin, pastPrime] {
            #expect(try refusedForGood(offCurve, .shareNotOnCurve), "\(offCurve.hexString)")
        }
    }

    @Test("the identity is refused, and so is a share that is only the password mask")
    func identityShares() throws {
        #expect(try refusedForGood([0x00], .identityElement))

        // pB = w·N makes A's K = x·(pB − w·N) the identity, whatever x is; pA = w·M does the same to B.
        let password = try cheapPassword("4711")
        let group = try P256Group()
        let w = try group.scalar(bigEndian: password.bigEndian)
        for (role, mask) in [(SPAKE2.Role.partyA, group.n), (.partyB, group.m)] {
            let maskOnly = try group.encode(try group.multiple(of: mask, by: w))
            var victim = try SPAKE2(role: role, password: password, identityA: phoneIdentity, identityB: laptopIdentity)
            #expect(refuses(.identityElement) { try victim.receivePeerShare(maskOnly) })
        }
    }

    @Test("w and the secret scalar must lie in 1 ..< p and be 32 bytes")
    func scalarsOutOfRange() throws {
        let zero = [UInt8](repeating: 0, count: 32)
        let order = try #require([UInt8](hex: groupOrder))
        for invalid in [zero, order, [UInt8](repeating: 0xFF, count: 32), [1], [UInt8](repeating: 1, count: 33)] {
            #expect(refuses(.invalidScalar) { try PasswordScalar(bigEndian: invalid) })
            #expect(refuses(.invalidScalar) {
                try SPAKE2(role: .partyA, password: try cheapPassword("4711"), secretScalar: invalid,
                           identityA: phoneIdentity, identityB: laptopIdentity)
            })
        }
    }
}
