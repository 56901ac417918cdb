#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Long output through `$PAGER` at a terminal, as git does.
///
/// The pager is `$FIELDNOTE_PAGER`, else `$PAGER`, else `less` with `LESS=FRX` unless `$LESS` is
/// set: one screen or less is printed and the pager quits at once, colours pass through, and the
/// screen is not cleared afterwards. It runs in this process's group, so it owns the terminal
/// like the shell's own foreground job; this process writes into it through standard output and,
/// at the end, waits for it, so the prompt comes back only after the person has quit the pager.
enum Pager {
    /// The pager's pid while one runs.
    private static let running = Mutex<pid_t?>(nil)

    /// Starts the pager when standard output is a terminal and paging is not turned off
    /// (`--no-pager`, an empty `$FIELDNOTE_PAGER`/`$PAGER`, or `cat`).
    static func start(enabled: Bool = true, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard enabled, Terminal.isTerminal(STDOUT_FILENO), environment["TERM"] != "dumb" else { return }
        let command = (environment["FIELDNOTE_PAGER"] ?? environment["PAGER"] ?? "less").trimmingCharacters(in: .whitespaces)
        guard !command.isEmpty, command != "cat", let program = command.split(separator: " ").first,
              Executables.find(String(program), environment: environment) != nil else { return }

        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])

        var childEnvironment = environment
        if childEnvironment["LESS"] == nil { childEnvironment["LESS"] = "FRX" }
        if childEnvironment["LV"] == nil { childEnvironment["LV"] = "-c" }
        let arguments = ["/bin/sh", "-c", command]
        let environmentStrings = childEnvironment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let spawned = withCStrings(arguments) { argv in
            withCStrings(environmentStrings) { envp in
                posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
            }
        }
        close(fds[0])
        guard spawned == 0 else {
            close(fds[1])
            return
        }
        // Quitting the pager early makes further writes fail instead of killing this process,
        // and Ctrl-C meant for the pager must not end this process while the pager owns the screen.
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        fflush(nil)  // every stream: print() writes through stdout's buffer
        dup2(fds[1], STDOUT_FILENO)
        close(fds[1])
        running.withLock { $0 = pid }
    }

    /// Ends the output and waits for the pager to be quit; nothing when no pager runs.
    static func finish() {
        guard let pid = running.withLock({ current -> pid_t? in defer { current = nil }; return current }) else { return }
        fflush(nil)  // every stream: print() writes through stdout's buffer
        close(STDOUT_FILENO)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return body(pointers)
    }
}

/// Finding a program on `$PATH`, as the shell would.
enum Executables {
    static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
