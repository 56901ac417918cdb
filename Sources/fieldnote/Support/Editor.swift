import ArgumentParser
import Foundation

/// Runs the person's editor on a private temporary file and returns what they saved.
///
/// The file lives in a fresh directory only its owner can enter (notes about children must not sit
/// world-readable in /tmp), and both are removed on every way out: a save, an abandon, an editor
/// that fails, and SIGINT, SIGTERM, SIGHUP or SIGQUIT while the editor runs, after which fieldnote
/// saves nothing and exits with 128 + the signal's number (130 for SIGINT), as shells report it.
enum Editor {
    /// `$VISUAL`, else `$EDITOR`, else `vi`, as git and most Unix tools choose. It may carry
    /// arguments (`code --wait`). `isChosen` says whether the person set one.
    static func command(environment: [String: String] = ProcessInfo.processInfo.environment) -> (command: String, isChosen: Bool) {
        for key in ["VISUAL", "EDITOR"] {
            if let value = environment[key], !value.trimmingCharacters(in: .whitespaces).isEmpty { return (value, true) }
        }
        return ("vi", false)
    }

    /// Fails at once, before any store is opened, when no editor can be used: no terminal on stdin
    /// and no editor named in `$VISUAL` or `$EDITOR`. A named one still runs without a terminal,
    /// as git runs it: it may be a script, or a window (`code --wait`).
    ///
    /// - Parameter instead: how to give the text without an editor, shown as the error's second line.
    static func requireUsable(instead: String) throws {
        guard !command().isChosen, isatty(STDIN_FILENO) != 1 else { return }
        throw CommandFailure("no text given, and no terminal to open an editor on (stdin is not a terminal)", hint: instead)
    }

    /// Opens `initial` with help lines in the editor; returns the saved text without them and
    /// without trailing newlines.
    static func edit(_ initial: String, purpose: EditorBuffer.Purpose) throws -> String {
        let buffer = EditorBuffer(text: initial, purpose: purpose)
        let signals = try SignalWatch()
        // The directory is gone before the handlers are restored, so no signal can leave it behind.
        let saved = Result { try runInPrivateDirectory(buffer.contents, signals: signals) }
        signals.restore()
        // Checked even when the editor saved: a signal means the person wants out, not a note.
        if let signal = signals.caught {
            Terminal.note(Style.stderr.red("error:") + " \(SignalWatch.name(signal)) received while the editor was open; nothing was saved")
            throw ExitCode(128 + signal)
        }
        return buffer.noteText(fromSaved: try saved.get())
    }

    private static func runInPrivateDirectory(_ contents: String, signals: SignalWatch) throws -> String {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        return try run(on: directory.write(contents, as: "note.txt"), signals: signals)
    }

    private static func run(on file: String, signals: SignalWatch) throws -> String {
        let editor = command().command
        let process = try EditorProcess(command: editor, file: file)
        switch process.wait(watching: signals) {
        case .exited(0):
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("the editor \"\(editor)\" removed the file; nothing was saved")
            }
            return String(decoding: data, as: UTF8.self)
        case .exited(let status) where status == 126 || status == 127:
            throw CommandFailure("cannot run the editor \"\(editor)\" (status \(status): not found or not executable); nothing was saved",
                                 hint: "set $VISUAL or $EDITOR to an editor, e.g. export EDITOR=nano")
        case .exited(let status):
            throw CommandFailure("the editor \"\(editor)\" exited with status \(status); nothing was saved")
        case .killed(let signal):
            throw CommandFailure("the editor \"\(editor)\" was killed by \(SignalWatch.name(signal)); nothing was saved")
        case .interrupted:
            // `edit` reports it, from `signals.caught`, once the directory is gone.
            throw CancellationError()
        }
    }
}

/// A fresh directory with mode 0700 for the one file the editor works on.
struct PrivateDirectory {
    let path: String

    init() throws {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("fieldnote.XXXXXX").path
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else {
            throw CommandFailure("cannot make a private temporary directory for the editor: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    /// Writes `contents` into a new file readable only by its owner; returns its path.
    func write(_ contents: String, as name: String) throws -> String {
        let file = path + "/" + name
        guard FileManager.default.createFile(atPath: file, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("cannot write the temporary file for the editor in \(path)")
        }
        return file
    }

    /// Removes the directory and whatever the editor left in it (swap files, backups).
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
