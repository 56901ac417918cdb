import COpenSSL

/// P-256 with SPAKE2's fixed points M and N, and the few operations on them the protocol needs.
///
/// Every product of a point and a secret scalar is computed on its own, never as one sum of
/// products: OpenSSL's generic code for a sum (wNAF) takes time that depends on the scalars,
/// while a single product runs in constant time (RFC 9382 section 7 asks for that).
// Sendable: every stored property is an immutable handle, itself Sendable.
struct P256Group: Sendable {
    /// Bytes of a scalar (and of w in the transcript): the byte length of the group order.
    static let scalarWidth = 32
    /// Bytes of an uncompressed SEC1 point: 0x04, then x and y of 32 bytes each.
    static let shareWidth = 65

    /// M and N for P-256, compressed SEC1, as RFC 9382 section 6 gives them; each is the first
    /// valid point from hashing "1.2.840.10045.3.1.7 point generation seed (M)" (or N), so that
    /// nobody knows their discrete logarithms.
    static let encodedM = "02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f"
    static let encodedN = "03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49"

    let curve: CurveHandle
    /// The point party A masks its share with.
    let m: CurvePoint
    /// The point party B masks its share with.
    let n: CurvePoint

    init() throws(PairingError) {
        curve = try CurveHandle(curve: NID_X9_62_prime256v1)
        m = try Self.decode(sec1: [UInt8](hex: Self.encodedM) ?? [], on: curve)
        n = try Self.decode(sec1: [UInt8](hex: Self.encodedN) ?? [], on: curve)
    }

    // MARK: Scalars

    /// The scalar with these 32 big-endian bytes, which must lie in 1 ..< the group order.
    func scalar(bigEndian bytes: [UInt8]) throws(PairingError) -> BigNumber {
        guard bytes.count == Self.scalarWidth else {
            throw PairingError(.invalidScalar, "a P-256 scalar is \(Self.scalarWidth) bytes, not \(bytes.count)")
        }
        let scalar = try BigNumber(bigEndian: bytes)
        guard !scalar.isZero, BN_cmp(scalar.pointer, order) < 0 else {
            throw PairingError(.invalidScalar, "a P-256 scalar must lie between 1 and the group order")
        }
        return scalar
    }

    /// `bytes`, read as a big-endian integer, modulo the group order.
    func reduced(bigEndian bytes: [UInt8]) throws(PairingError) -> BigNumber {
        let wide = try BigNumber(bigEndian: bytes)
        let result = try BigNumber()
        let context = try BigNumberContext()
        guard BN_nnmod(result.pointer, wide.pointer, order, context.pointer) == 1 else {
            throw PairingError(.openSSL, "BN_nnmod failed")
        }
        return result
    }

    /// A scalar drawn uniformly from 1 ..< the group order by OpenSSL's CSPRNG. BN_priv_rand_range
    /// samples by rejection, as RFC 9382 section 7 recommends; zero is drawn again.
    func randomScalar() throws(PairingError) -> BigNumber {
        let scalar = try BigNumber()
        repeat {
            guard BN_priv_rand_range(scalar.pointer, order) == 1 else {
                throw PairingError(.openSSL, "BN_priv_rand_range failed")
            }
        } while scalar.isZero
        return scalar
    }

    private var order: OpaquePointer { EC_GROUP_get0_order(curve.pointer) }

    // MARK: Points

    /// `scalar`·P, for the generator P.
    func generatorMultiple(_ scalar: BigNumber) throws(PairingError) -> CurvePoint {
        try freshPoint { result, context in EC_POINT_mul(curve.pointer, result, scalar.pointer, nil, nil, context) }
    }

    /// `scalar`·`point`.
    func multiple(of point: CurvePoint, by scalar: BigNumber) throws(PairingError) -> CurvePoint {
        try freshPoint { result, context in EC_POINT_mul(curve.pointer, result, nil, point.pointer, scalar.pointer, context) }
    }

    /// `left` + `right`.
    func sum(_ left: CurvePoint, _ right: CurvePoint) throws(PairingError) -> CurvePoint {
        try freshPoint { result, context in EC_POINT_add(curve.pointer, result, left.pointer, right.pointer, context) }
    }

    /// `left` − `right`.
    func difference(_ left: CurvePoint, _ right: CurvePoint) throws(PairingError) -> CurvePoint {
        let negated = try freshPoint { result, context in
            EC_POINT_copy(result, right.pointer) == 1 ? EC_POINT_invert(curve.pointer, result, context) : 0
        }
        return try sum(left, negated)
    }

    func isIdentity(_ point: CurvePoint) -> Bool { EC_POINT_is_at_infinity(curve.pointer, point.pointer) == 1 }

    /// A new point, filled by `operation` (given the point and a scratch context), which returns
    /// OpenSSL's 1 for success.
    private func freshPoint(
        _ operation: (OpaquePointer, OpaquePointer) -> Int32
    ) throws(PairingError) -> CurvePoint {
        let result = try CurvePoint(on: curve)
        let context = try BigNumberContext()
        guard operation(result.pointer, context.pointer) == 1 else {
            throw PairingError(.openSSL, "a P-256 point operation failed")
        }
        return result
    }

    // MARK: Encoding

    /// `point` as 65 bytes of uncompressed SEC1, the ciphersuite's encoding for shares and K.
    func encode(_ point: CurvePoint) throws(PairingError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.shareWidth)
        let context = try BigNumberContext()
        let written = EC_POINT_point2oct(curve.pointer, point.pointer, POINT_CONVERSION_UNCOMPRESSED,
                                         &bytes, bytes.count, context.pointer)
        guard written == Self.shareWidth else { throw PairingError(.identityElement, "the identity has no 65-byte encoding") }
        return bytes
    }

    /// The peer's share: uncompressed SEC1 only, a point of P-256 (checked by OpenSSL when it
    /// decodes, and again here), and not the identity.
    func decodeShare(_ bytes: [UInt8]) throws(PairingError) -> CurvePoint {
        if bytes == [0x00] { throw PairingError(.identityElement, "the peer's share is the identity") }
        guard bytes.count == Self.shareWidth, bytes.first == 0x04 else {
            throw PairingError(.malformedShare, "a share is 65 bytes of uncompressed SEC1, not \(bytes.count) bytes starting \(bytes.first.map { String($0, radix: 16) } ?? "nothing")")
        }
        let point = try Self.decode(sec1: bytes, on: curve)
        guard !isIdentity(point) else { throw PairingError(.identityElement, "the peer's share is the identity") }
        return point
    }

    /// The point of P-256 with this SEC1 encoding (compressed or not), or `shareNotOnCurve`.
    static func decode(sec1 bytes: [UInt8], on curve: CurveHandle) throws(PairingError) -> CurvePoint {
        let point = try CurvePoint(on: curve)
        let context = try BigNumberContext()
        guard EC_POINT_oct2point(curve.pointer, point.pointer, bytes, bytes.count, context.pointer) == 1,
              EC_POINT_is_on_curve(curve.pointer, point.pointer, context.pointer) == 1 else {
            ERR_clear_error()
            throw PairingError(.shareNotOnCurve, "those bytes are no point of P-256")
        }
        return point
    }
}
