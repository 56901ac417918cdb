import Sealing

/// Everything both sides derive once they hold both shares: the transcript TT (RFC 9382 section
/// 3.3) and the keys of section 4,
///
///     Hash(TT)                                   = Ke || Ka
///     KDF(Ka, nil, "ConfirmationKeys" || AAD, L) = KcA || KcB
///     cA = MAC(KcA, TT),  cB = MAC(KcB, TT)
///
/// Package-level, not public: TT ends with w and so is as secret as the password, and Ka and the
/// confirmation keys are for confirmation only. What leaves the module is Ke, once the peer has
/// confirmed, and this side's MAC.
package struct KeySchedule: Sendable {
    /// TT: each of A, B, pA, pB, K and w after its length.
    package let transcript: [UInt8]
    /// K, encoded as the shares are: the element both sides computed, never output as a key.
    package let sharedElement: [UInt8]
    /// Hash(TT).
    package let transcriptHash: [UInt8]
    /// Ke: the shared secret the exchange outputs, the first half of Hash(TT).
    package let sessionKey: [UInt8]
    /// Ka: the second half of Hash(TT), from which only the confirmation keys are derived.
    package let confirmationSeed: [UInt8]
    /// KcA: the MAC key of A's confirmation.
    package let confirmationKeyA: [UInt8]
    /// KcB: the MAC key of B's confirmation.
    package let confirmationKeyB: [UInt8]
    /// cA: what A sends B to show it derived the same keys.
    package let confirmationA: [UInt8]
    /// cB: what B sends A.
    package let confirmationB: [UInt8]

    /// The schedule of one exchange. `sharedElement` is K, encoded as the shares are; `password`
    /// is w as `P256Group.scalarWidth` big-endian bytes; `additionalData` is the AAD both sides
    /// agreed on (empty in RFC 9382's test vectors).
    init(identityA: [UInt8], identityB: [UInt8], shareA: [UInt8], shareB: [UInt8], sharedElement: [UInt8],
         password: [UInt8], additionalData: [UInt8]) throws(PairingError) {
        self.sharedElement = sharedElement
        transcript = [identityA, identityB, shareA, shareB, sharedElement, password]
            .flatMap { Self.lengthPrefixed($0) }
        transcriptHash = Digests.sha256(transcript)
        (sessionKey, confirmationSeed) = Self.halves(of: transcriptHash)
        // HKDF with no salt, which HKDF reads as a string of zeros (RFC 5869 2.2).
        let confirmationKeys = Digests.hkdf(secret: confirmationSeed, salt: [], info: Array("ConfirmationKeys".utf8) + additionalData,
                                            length: SymmetricPrimitives.digestWidth)
        (confirmationKeyA, confirmationKeyB) = Self.halves(of: confirmationKeys)
        confirmationA = Digests.hmacSHA256(key: confirmationKeyA, transcript)
        confirmationB = Digests.hmacSHA256(key: confirmationKeyB, transcript)
    }

    /// The first and second halves of `bytes`: each key of the schedule is half a digest.
    private static func halves(of bytes: [UInt8]) -> ([UInt8], [UInt8]) {
        (Array(bytes.prefix(bytes.count / 2)), Array(bytes.suffix(bytes.count / 2)))
    }

    /// len(S) || S, with len(S) the byte count of S as eight bytes little-endian (RFC 9382 section
    /// 3.2), so that no two different sequences of fields give the same transcript.
    private static func lengthPrefixed(_ field: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt64(field.count).littleEndian, Array.init) + field
    }
}
