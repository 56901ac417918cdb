import Dispatch
import Foundation

/// Work started on another thread whose result the session's thread takes later: a batch's
/// authorship check while the store applies it (`BackgroundVerification`), the next batch's
/// decoding while the store applies this one (`ReadAhead`).
///
/// Sendable: `outcome` is only touched with `lock` held, and the work, a `@Sendable` closure,
/// runs once, on the worker.
final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var outcome: Result<Value, TransportError>? = nil

    init(_ work: @escaping @Sendable () throws(TransportError) -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let result = Result { () throws(TransportError) in try work() }
            lock.withLock { outcome = result }
            done.signal()
        }
    }

    /// The work's outcome, once it has finished; waiting twice returns the same outcome.
    func wait() -> Result<Value, TransportError> {
        if let finished = lock.withLock({ outcome }) { return finished }
        done.wait()
        return lock.withLock { outcome! }
    }
}
