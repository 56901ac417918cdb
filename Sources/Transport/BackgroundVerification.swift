import Dispatch
import Foundation
import SyncCore

/// One batch's authorship check (`ChainVerifier.verify`), run on another thread while the
/// session's thread applies the batch: hashing every op into its author's chain is the one part
/// of receiving that needs nothing from the store's transaction, so it need not add to it. The
/// store waits for the check before it commits (`Store.apply(_:merging:muting:confirmedBy:)`), so
/// nothing unchecked is ever kept.
///
/// Sendable: `outcome` is only touched with `lock` held; the verifier is used by one thread at a
/// time — the job's until it has stored its outcome and signalled `done`, anyone else's only
/// after `wait()` has returned, which happens after that signal.
final class BackgroundVerification: @unchecked Sendable {
    private let verifier: ChainVerifier
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Result<ChainVerifier.Verified, TransportError>? = nil

    /// Starts checking `ops` and `proofs`, batch `batch` of `space`.
    init(_ verifier: ChainVerifier, ops: [Op], proofs: [ChainProof], space: SpaceID, batch: UInt64) {
        self.verifier = verifier
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = Result { () throws(TransportError) in
                try self.verifier.verify(ops, proofs: proofs, space: space, batch: batch)
            }
            lock.withLock { outcome = result }
            done.signal()
        }
    }

    /// The check's outcome, once it has finished. Every caller must wait before the verifier is
    /// used again; waiting twice returns the same outcome.
    func wait() -> Result<ChainVerifier.Verified, TransportError> {
        if let finished = lock.withLock({ outcome }) { return finished }
        done.wait()
        return lock.withLock { outcome! }
    }
}
