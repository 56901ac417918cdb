import Dispatch
import SyncCore

/// One batch's authorship check (`ChainVerifier.verify`), run on another thread while the
/// session's thread applies the batch: hashing every op into its author's chain is the one part
/// of receiving that needs nothing from the store's transaction, so it need not add to it. The
/// store waits for the check before it commits (`Store.apply(_:merging:muting:confirmedBy:)`), so
/// nothing unchecked is ever kept.
///
/// Sendable: the verifier is used by one thread at a time — the job's until it signals `done`,
/// the session's only after `wait()` has returned — and `outcome` is written by the job before
/// it signals and read only after the wait; the semaphore orders both.
final class BackgroundVerification: @unchecked Sendable {
    private let verifier: ChainVerifier
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<ChainVerifier.Verified, TransportError>? = nil

    /// Starts checking `ops` and `proofs`, batch `batch` of `space`.
    init(_ verifier: ChainVerifier, ops: [Op], proofs: [ChainProof], space: SpaceID, batch: UInt64) {
        self.verifier = verifier
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            outcome = Result { () throws(TransportError) in
                try self.verifier.verify(ops, proofs: proofs, space: space, batch: batch)
            }
            done.signal()
        }
    }

    /// The check's outcome, once it has finished. Every caller must wait before the verifier is
    /// used again; waiting twice returns the same outcome.
    func wait() -> Result<ChainVerifier.Verified, TransportError> {
        if let outcome { return outcome }
        done.wait()
        return outcome!
    }
}
