/// Why a pairing exchange stopped. Every refusal is final for the `SPAKE2` instance that made it:
/// a peer that sent something wrong gets no second try with the same secret scalar.
///
/// Match a code with `~=`, as in `catch let error where .confirmationFailed ~= error`.
public struct PairingError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The peer's share is not 65 bytes starting 0x04 (an uncompressed SEC1 point), the only
        /// encoding the P-256 ciphersuite allows.
        public static let malformedShare = Code(rawValue: "malformed_share")
        /// The peer's share has the right shape but is no point of P-256 (RFC 9382 section 7: a
        /// received element MUST be checked for group membership).
        public static let shareNotOnCurve = Code(rawValue: "share_not_on_curve")
        /// The peer's share is the identity, or cancels the password mask exactly, so the shared
        /// element would be the identity, which anyone can compute.
        public static let identityElement = Code(rawValue: "identity_element")
        /// The peer's confirmation MAC is not the one the transcript gives: the other side used
        /// another code, or someone in between changed a message.
        public static let confirmationFailed = Code(rawValue: "confirmation_failed")
        /// A step out of order, or any step after the exchange finished or failed: one instance
        /// runs one attempt, so that its secret scalar is never used twice.
        public static let exchangeOver = Code(rawValue: "exchange_over")
        /// A password scalar, or an injected secret scalar, outside 1 ..< the group order.
        public static let invalidScalar = Code(rawValue: "invalid_scalar")
        /// OpenSSL refused an operation that cannot fail on good input.
        public static let openSSL = Code(rawValue: "openssl")

        /// Lets `catch let error where .confirmationFailed ~= error` read as a match.
        public static func ~= (code: Code, error: PairingError) -> Bool { error.code == code }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code.rawValue))" }
}
