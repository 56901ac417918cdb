import Foundation
import Storage
import SyncCore

/// A received batch being applied on a thread of its own, so that the session thread can read and
/// decode the next batch meanwhile (Protocol.md 2.4: from version 3 a sender keeps several batches
/// in flight, so the next one is usually already on the wire).
///
/// The receiving side of a sync was one thread that read, decrypted and decoded a batch, then
/// applied it: with the sender mostly idle, decoding sat on the critical path. Only one batch is
/// applied at a time, in order, and its ACK still follows its commit.
///
/// Sendable: `outcome` is written once, on the applying thread, and read on the session thread,
/// both under `condition`'s lock (a pthread mutex, which ThreadSanitizer sees); `waited` is the
/// session thread's alone; everything else is immutable.
final class ApplyInFlight: @unchecked Sendable {
    let header: BatchHeader
    let opCount: Int
    private let condition = NSCondition()
    private var outcome: Result<ApplyResult, StoreError>?
    private var waited = false

    init(header: BatchHeader, ops: [Op], store: Store) {
        self.header = header
        self.opCount = ops.count
        let thread = Thread { [self] in
            let result: Result<ApplyResult, StoreError>
            do throws(StoreError) {
                result = .success(try store.apply(ops))
            } catch {
                result = .failure(error)
            }
            condition.lock()
            outcome = result
            condition.signal()
            condition.unlock()
        }
        thread.name = "fieldnote.apply"
        thread.start()
    }

    /// Waits for the transaction to end, committed or rolled back; at most once a batch.
    func wait() throws(StoreError) -> ApplyResult {
        precondition(!waited, "a batch's outcome is taken once")
        waited = true
        return try finish().get()
    }

    /// Waits for the transaction to end when nobody will take its outcome (the session is ending
    /// on an error): the store is never left with a write still running behind the session.
    func drain() {
        guard !waited else { return }
        waited = true
        _ = finish()
    }

    private func finish() -> Result<ApplyResult, StoreError> {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return outcome!
    }
}
