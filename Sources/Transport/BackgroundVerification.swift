import SyncCore

/// One batch's authorship check (`ChainVerifier.verify`), run on another thread while the
/// session's thread applies the batch: hashing every op into its author's chain is the one part
/// of receiving that needs nothing from the store's transaction, so it need not add to it. The
/// store waits for the check before it commits (`Store.apply(_:merging:muting:confirmedBy:)`), so
/// nothing unchecked is ever kept.
struct BackgroundVerification: Sendable {
    /// The verifier, handed to the worker. Sendable (unchecked): it is used by one thread at a
    /// time — the worker's until it has stored its outcome, the session's only after `wait()`
    /// has returned, which every caller does before using the verifier again.
    private final class Handed: @unchecked Sendable {
        let verifier: ChainVerifier
        init(_ verifier: ChainVerifier) { self.verifier = verifier }
    }

    private let check: BackgroundResult<ChainVerifier.Verified>

    /// Starts checking `ops` and `proofs`, batch `batch` of `space`.
    init(_ verifier: ChainVerifier, ops: [Op], proofs: [ChainProof], space: SpaceID, batch: UInt64) {
        let handed = Handed(verifier)
        check = BackgroundResult { () throws(TransportError) in
            try handed.verifier.verify(ops, proofs: proofs, space: space, batch: batch)
        }
    }

    /// The check's outcome, once it has finished. Every caller must wait before the verifier is
    /// used again; waiting twice returns the same outcome.
    func wait() -> Result<ChainVerifier.Verified, TransportError> { check.wait() }
}
