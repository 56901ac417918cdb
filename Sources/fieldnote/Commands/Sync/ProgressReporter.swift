import Foundation
import Transport

/// Progress on stderr: one line rewritten in place on a terminal, or one line per batch.
final class ProgressReporter: @unchecked Sendable {
    enum Mode { case off, overwrite, lines }
    let mode: Mode
    private let lock = NSLock()
    private var sent = (ops: 0, bytes: 0)
    private var received = (ops: 0, bytes: 0)
    private var drawn = false

    init(mode: Mode) { self.mode = mode }

    /// One line per batch when asked for (`--progress`), else in place at a terminal, else off.
    convenience init(linesAskedFor: Bool) {
        self.init(mode: linesAskedFor ? .lines : (Terminal.isTerminal(STDERR_FILENO) ? .overwrite : .off))
    }

    /// What a sync reports to; nil when off, so the transport does no work for it.
    var callback: (@Sendable (SyncProgress) -> Void)? {
        isOn ? { @Sendable [self] progress in report(progress) } : nil
    }

    var isOn: Bool { mode != .off }

    /// Called on the syncing thread after every batch.
    func report(_ progress: SyncProgress) {
        lock.lock()
        defer { lock.unlock() }
        switch progress.direction {
        case .sending: sent = (progress.ops, progress.bytes)
        case .receiving: received = (progress.ops, progress.bytes)
        }
        let line = "\(progress.direction.rawValue) \(progress.space.name): sent \(Units.count(sent.ops)) ops (\(Units.bytes(sent.bytes))), received \(Units.count(received.ops)) ops (\(Units.bytes(received.bytes)))"
        switch mode {
        case .off: return
        case .lines: FileHandle.standardError.write(Data((line + "\n").utf8))
        case .overwrite:
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            drawn = true
        }
    }

    /// Ends the line drawn in place, if any.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
