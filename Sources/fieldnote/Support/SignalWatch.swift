#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches the signals that would end fieldnote while an editor runs, so that it can stop the
/// editor and remove the note's temporary file before exiting, instead of dying with the file on disk.
///
/// A Ctrl-C (SIGINT), Ctrl-\ (SIGQUIT) or hang-up (SIGHUP) at the terminal reaches the whole
/// foreground process group, editor included; SIGTERM or a `kill` reaches fieldnote alone. Either
/// way the handler only records the signal and writes a byte to a pipe (the self-pipe trick), which
/// wakes the loop waiting for the editor; SIGCHLD wakes it too when the editor exits.
final class SignalWatch {
    static let terminating: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let watched = terminating + [SIGCHLD]

    private let readEnd: Int32
    private let writeEnd: Int32
    private var previous: [Int32: SignalHandler] = [:]
    private var previousMask = sigset_t()

    /// Installs the handlers; `restore()` must follow.
    init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw CommandFailure("cannot watch for signals while the editor runs: \(String(cString: strerror(errno)))") }
        (readEnd, writeEnd) = (ends[0], ends[1])
        // Non-blocking: the handler must never block (with the pipe full, a wake-up is pending
        // anyway), and draining stops when the pipe is empty.
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        signalWakeDescriptor = writeEnd
        caughtTerminatingSignal = 0
        for number in Self.watched {
            let before = signal(number, recordSignal)
            previous[number] = before
            // A signal ignored on purpose stays ignored (`nohup`, `&` in a script sets SIGINT).
            if number != SIGCHLD, Self.isIgnore(before) { _ = signal(number, SIG_IGN) }
        }
        // A parent may have started fieldnote with these signals blocked (Foundation's `Process`
        // blocks nearly all): blocked, SIGCHLD would never wake the wait for the editor.
        var watched = sigset_t()
        sigemptyset(&watched)
        for number in Self.watched { sigaddset(&watched, number) }
        pthread_sigmask(SIG_UNBLOCK, &watched, &previousMask)
    }

    private static func isIgnore(_ handler: SignalHandler) -> Bool {
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// "SIGINT" for the signals people meet, else "signal N".
    static func name(_ signal: Int32) -> String {
        let names = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP", SIGQUIT: "SIGQUIT", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT"]
        return names[signal] ?? "signal \(signal)"
    }

    /// The first terminating signal received since `init`, if any.
    var caught: Int32? { caughtTerminatingSignal == 0 ? nil : caughtTerminatingSignal }

    /// Blocks until a watched signal arrives (or one arrived since the last call), or a second
    /// passes: the caller checks again either way, so a wake-up lost to a signal delivered
    /// elsewhere costs a second, never a hang.
    func waitForSignal() {
        var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, 1000)
        var drain = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &drain, drain.count) > 0 {}
    }

    /// Puts the previous handlers back and closes the pipe.
    func restore() {
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        for (number, handler) in previous { _ = signal(number, handler) }
        signalWakeDescriptor = -1
        close(readEnd)
        close(writeEnd)
    }
}

// The handler can reach only globals: it is a C function pointer and captures nothing. Both are set
// before the handlers are installed and the handler does nothing but store an Int32 and write(2),
// which is async-signal-safe.
#if canImport(Glibc)
private typealias SignalHandler = __sighandler_t?
#else
private typealias SignalHandler = sig_t?
#endif

nonisolated(unsafe) private var signalWakeDescriptor: Int32 = -1
nonisolated(unsafe) private var caughtTerminatingSignal: Int32 = 0

private func recordSignal(_ signal: Int32) {
    let savedErrno = errno
    if signal != SIGCHLD, caughtTerminatingSignal == 0 { caughtTerminatingSignal = signal }
    var byte: UInt8 = 1
    _ = write(signalWakeDescriptor, &byte, 1)
    errno = savedErrno
}
