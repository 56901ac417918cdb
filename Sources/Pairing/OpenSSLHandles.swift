import COpenSSL

// One final class per OpenSSL handle pairing uses, each the only owner of its pointer and the one
// that frees it, so no path through the protocol code can leak a handle or free one twice. None
// of these types is public: OpenSSL pointers stay inside the module.

/// A BIGNUM: a scalar of the group (x, y or w) or the group order.
///
/// Deinit clears the number before freeing it, since most of these hold secrets.
// Sendable: the number is written only while it is made (in this file's initializers and the
// `P256Group` factories that fill a fresh one); afterwards OpenSSL only reads it, through `const`
// parameters, which it allows from any thread.
final class BigNumber: @unchecked Sendable {
    let pointer: OpaquePointer

    /// A zero, to be filled by the caller before anyone else sees it.
    init() throws(PairingError) {
        guard let pointer = BN_new() else { throw PairingError(.openSSL, "BN_new failed") }
        // Scalars are secrets: ask OpenSSL for its constant-time code paths wherever it has them.
        BN_set_flags(pointer, BN_FLG_CONSTTIME)
        self.pointer = pointer
    }

    /// The unsigned big-endian integer `bytes`.
    convenience init(bigEndian bytes: [UInt8]) throws(PairingError) {
        try self.init()
        guard BN_bin2bn(bytes, Int32(bytes.count), pointer) != nil else {
            throw PairingError(.openSSL, "BN_bin2bn failed")
        }
    }

    deinit { BN_clear_free(pointer) }

    var isZero: Bool { BN_is_zero(pointer) != 0 }

    /// The number as exactly `width` big-endian bytes, zeros in front: how RFC 9382 puts w into
    /// the transcript, padded so that its length says nothing of its value.
    func bigEndian(width: Int) throws(PairingError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: width)
        guard BN_bn2binpad(pointer, &bytes, Int32(width)) == Int32(width) else {
            throw PairingError(.openSSL, "BN_bn2binpad failed")
        }
        return bytes
    }
}

/// A BN_CTX: OpenSSL's scratch space for big-number and point arithmetic.
///
/// Deliberately not Sendable: OpenSSL mutates a context on every call, so each computation makes
/// its own and drops it when done, and none is ever stored in a value that could cross threads.
final class BigNumberContext {
    let pointer: OpaquePointer

    init() throws(PairingError) {
        guard let pointer = BN_CTX_new() else { throw PairingError(.openSSL, "BN_CTX_new failed") }
        self.pointer = pointer
    }

    deinit { BN_CTX_free(pointer) }
}

/// An EC_GROUP: the curve P-256 itself.
// Sendable: made once in init and never changed; every OpenSSL call after that takes the group
// as `const EC_GROUP *`, which OpenSSL allows from any thread.
final class CurveHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(curve: Int32) throws(PairingError) {
        guard let pointer = EC_GROUP_new_by_curve_name(curve) else {
            throw PairingError(.openSSL, "EC_GROUP_new_by_curve_name failed")
        }
        self.pointer = pointer
    }

    deinit { EC_GROUP_free(pointer) }
}

/// An EC_POINT of P-256: M, N, a share, or an intermediate of the key computation.
///
/// Deinit clears the point, since some (w·M, x·P) are secrets.
// Sendable: a point is filled by the single `P256Group` operation that makes it and is only read
// afterwards, through `const EC_POINT *` parameters, which OpenSSL allows from any thread.
final class CurvePoint: @unchecked Sendable {
    let pointer: OpaquePointer

    /// The identity, to be filled by the caller before anyone else sees it.
    init(on curve: CurveHandle) throws(PairingError) {
        guard let pointer = EC_POINT_new(curve.pointer) else { throw PairingError(.openSSL, "EC_POINT_new failed") }
        self.pointer = pointer
    }

    deinit { EC_POINT_clear_free(pointer) }
}
