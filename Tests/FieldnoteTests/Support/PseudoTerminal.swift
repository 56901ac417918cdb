import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program running on a pseudo-terminal of its own, as if started from a terminal window: it is a
/// session leader with the terminal as its controlling terminal and its process group in the
/// foreground, so full-screen editors behave as they do for a person.
///
/// Started with `posix_spawn` (`POSIX_SPAWN_SETSID`, then opening the terminal makes it the
/// controlling one) rather than `forkpty`: no Swift code runs between fork and exec. Output is read
/// continuously on a thread, since vim blocks once the terminal's buffer is full.
final class PseudoTerminal: @unchecked Sendable {
    // @unchecked Sendable: `output`, `exitStatus` and `stopReading` are guarded by `lock`; the
    // descriptors, `pid` and `terminalPath` never change after `init`.
    let pid: pid_t
    let terminalPath: String
    private let master: Int32
    /// Kept open here until `finish`: with no process holding the terminal, reads on `master` fail
    /// with EIO, which would stop the reader before the program has opened it.
    private let slave: Int32
    private let lock = NSLock()
    private var output = Data()
    private var exitStatus: Int32?
    private let readerDone = DispatchSemaphore(value: 0)
    private var stopReading = false

    /// glibc's value; Swift's Glibc module does not export the GNU-only constant.
    private static let spawnSetSession: Int32 = 0x80

    init(_ executable: String, _ arguments: [String], environment: [String: String], rows: UInt16 = 30, columns: UInt16 = 100) throws {
        var master: Int32 = 0, slave: Int32 = 0
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        var name = [CChar](repeating: 0, count: 256)
        guard openpty(&master, &slave, &name, nil, &size) == 0 else { throw SandboxError("openpty failed: \(String(cString: strerror(errno)))") }
        for descriptor in [master, slave] { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        self.master = master
        self.slave = slave
        terminalPath = String(cString: name)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid(), without O_NOCTTY: the terminal becomes the controlling one.
        posix_spawn_file_actions_addopen(&actions, 0, terminalPath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetSession | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(master)
            close(slave)
            throw SandboxError("posix_spawn \(executable) failed: \(String(cString: strerror(result)))")
        }
        self.pid = pid
        Thread.detachNewThread { [self] in readContinuously() }
    }

    /// Kills whatever is left in the program's process group, reaps the program and stops reading.
    /// Call it on every way out of a test (`defer`): the reading thread holds on to `self`.
    func finish() {
        let isFinished = lock.withLock {
            defer { stopReading = true }
            return stopReading
        }
        guard !isFinished else { return }
        kill(-pid, SIGKILL)
        _ = waitForExit(timeout: 30)
        _ = readerDone.wait(timeout: .now() + 10)
        close(master)
        close(slave)
    }

    private func readContinuously() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !lock.withLock({ stopReading }) {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let count = read(master, &buffer, buffer.count)
            if count <= 0 { if count < 0, errno == EINTR || errno == EAGAIN { continue } else { break } }
            lock.withLock { output.append(contentsOf: buffer[0..<count]) }
        }
        readerDone.signal()
    }

    /// Everything the program wrote to the terminal so far, escape sequences included.
    var transcript: String { lock.withLock { String(decoding: output, as: UTF8.self) } }

    /// Types `keys`, as a person would.
    func send(_ keys: String) {
        let bytes = Array(keys.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR || errno == EAGAIN { usleep(10_000); continue }
            if count <= 0 { return }
            written += count
        }
    }

    /// Waits until the output contains `text` (escape sequences removed, so that colour or cursor
    /// movement between words does not hide it).
    func waitForOutput(containing text: String, timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if Self.visibleText(transcript).contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    /// The exit status, or 128 + the signal's number when a signal ended it; nil on timeout.
    func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = lock.withLock({ exitStatus }) { return status }
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                let signal = status & 0x7f
                let decoded = signal == 0 ? (status >> 8) & 0xff : 128 + signal
                lock.withLock { exitStatus = decoded }
                return decoded
            }
            if reaped < 0, errno != EINTR { return nil }
            if Date() >= deadline { return nil }
            usleep(20_000)
        }
    }

    /// Whether any process is left in the program's process group (the editor it started, say).
    var processGroupIsEmpty: Bool { kill(-pid, 0) == -1 && errno == ESRCH }

    /// The terminal's current modes, as the next program (a shell) would find them.
    func terminalModes() throws -> termios {
        var modes = termios()
        guard tcgetattr(slave, &modes) == 0 else { throw SandboxError("tcgetattr failed: \(String(cString: strerror(errno)))") }
        return modes
    }

    /// Terminal output with CSI and OSC escape sequences and other control characters removed.
    static func visibleText(_ raw: String) -> String {
        raw.replacingOccurrences(of: #"\x1B\[[0-9;?>=]*[ -/]*[@-~]|\x1B\][^\x07\x1B]*(?:\x07|\x1B\\)|\x1B[()][0-9A-Za-z]|\x1B[=>78]"#, with: "", options: .regularExpression)
    }
}
