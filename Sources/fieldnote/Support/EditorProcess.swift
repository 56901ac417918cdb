#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the editor in the foreground of the terminal, in fieldnote's own process group.
///
/// Foundation's `Process` puts its child in a new process group on Linux; an editor there is not in
/// the terminal's foreground group, so the first read from the terminal stops it (SIGTTIN) and the
/// screen stays blank. `posix_spawn` without `POSIX_SPAWN_SETPGROUP` keeps the child in our group,
/// as git does, so the terminal's keys, window size and job control (Ctrl-Z) reach it.
struct EditorProcess {
    /// How the editor ended.
    enum Ending: Equatable {
        case exited(Int32)
        case killed(by: Int32)
        /// fieldnote received this signal and stopped the editor.
        case interrupted(by: Int32)
    }

    let pid: pid_t
    /// The terminal's modes before the editor started, put back when the editor dies from a signal:
    /// vim killed by SIGTERM, SIGHUP or SIGQUIT leaves the terminal raw, echo off, for the shell.
    private let terminalModes: termios?

    /// Starts `/bin/sh -c 'exec COMMAND "$1"' fieldnote FILE`: the shell splits the command into
    /// words, so an editor with arguments works, and `exec` makes the editor the process we wait
    /// for and stop (dash would otherwise keep a shell in between). A command with shell syntax of
    /// its own (`;`, `|`, …) runs without `exec`.
    init(command: String, file: String) throws {
        let isSimple = !command.contains { ";&|<>()`\n".contains($0) }
        let script = (isSimple ? "exec " : "") + command + " \"$1\""
        let arguments = ["/bin/sh", "-c", script, "fieldnote", file]

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        // The editor starts with default signal handling and nothing blocked, whatever fieldnote set.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in SignalWatch.watched + [SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // `id=$(fieldnote add)` or `fieldnote add </dev/null` at a terminal: stdout or stdin is not
        // the terminal, but the editor must draw on it and read the keyboard from it.
        let terminal = Self.controllingTerminal()
        defer { if let terminal { close(terminal) } }
        if let terminal {
            if isatty(STDIN_FILENO) != 1 { posix_spawn_file_actions_adddup2(&actions, terminal, STDIN_FILENO) }
            if isatty(STDOUT_FILENO) != 1 { posix_spawn_file_actions_adddup2(&actions, terminal, STDOUT_FILENO) }
        }

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var modes = termios()
        terminalModes = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &modes) == 0 ? modes : nil
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw CommandFailure("cannot start the editor \"\(command)\": \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// The controlling terminal, opened for reading and writing, when stdin or stdout is not it;
    /// nil when both are, or when there is none (cron, CI).
    static func controllingTerminal() -> Int32? {
        guard isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1 else { return nil }
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC)
        return descriptor >= 0 ? descriptor : nil
    }

    /// Waits for the editor to end; on a terminating signal, stops it first.
    func wait(watching signals: SignalWatch) -> Ending {
        let ending = waitOrStop(watching: signals)
        if case .exited = ending {} else { restoreTerminalModes() }
        return ending
    }

    private func waitOrStop(watching signals: SignalWatch) -> Ending {
        while true {
            if let ending = reap(blocking: false) { return ending }
            if let signal = signals.caught {
                stop()
                return .interrupted(by: signal)
            }
            signals.waitForSignal()
        }
    }

    /// Only from the terminal's foreground process group: from the background, tcsetattr would stop us.
    private func restoreTerminalModes() {
        guard var modes = terminalModes, tcgetpgrp(STDIN_FILENO) == getpgrp() else { return }
        _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &modes)
    }

    /// SIGTERM (and SIGCONT, in case it was suspended with Ctrl-Z), then SIGKILL after a grace period
    /// in which vim or nano restore the terminal; always reaps the editor.
    private func stop() {
        kill(pid, SIGTERM)
        kill(pid, SIGCONT)
        for _ in 0..<150 {
            if reap(blocking: false) != nil { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        _ = reap(blocking: true)
    }

    private func reap(blocking: Bool) -> Ending? {
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if reaped == -1, errno == EINTR { continue }
            // -1 (ECHILD) cannot happen for our own unreaped child; treat it as a failure to report.
            if reaped == -1 { return .exited(-1) }
            if reaped == 0 { return nil }
            break
        }
        // WIFEXITED/WTERMSIG are C macros: the low 7 bits hold the signal, 0 for a normal exit.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .killed(by: signal)
    }
}
