import Foundation

/// Runs the person's editor on a private temporary file and returns what they saved.
///
/// The file lives in a fresh directory readable only by its owner (notes about children must not
/// sit world-readable in /tmp) and both are removed afterwards, whatever happens.
enum Editor {
    /// `$EDITOR`, else `$VISUAL`, else `vi`. It may carry arguments (`code --wait`).
    static var command: String {
        let environment = ProcessInfo.processInfo.environment
        for key in ["EDITOR", "VISUAL"] {
            if let value = environment[key], !value.trimmingCharacters(in: .whitespaces).isEmpty { return value }
        }
        return "vi"
    }

    /// Opens `initial` in the editor; returns the saved text without trailing newlines.
    static func edit(_ initial: String) throws -> String {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("fieldnote.XXXXXX").path
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else {
            throw CommandFailure("cannot make a private temporary directory for the editor: \(String(cString: strerror(errno)))")
        }
        let directory = URL(fileURLWithPath: String(cString: made), isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("note.txt")
        let contents = initial.isEmpty ? "" : initial + "\n"
        guard FileManager.default.createFile(atPath: file.path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("cannot write the temporary file for the editor in \(directory.path)")
        }

        let editor = command
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell splits the command into words, so an editor with arguments works.
        process.arguments = ["-c", "\(editor) \"$1\"", "fieldnote-editor", file.path]
        do {
            try process.run()
        } catch {
            throw CommandFailure("cannot start the editor \"\(editor)\": \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exited with status \(process.terminationStatus)" : "was killed"
            throw CommandFailure("the editor \"\(editor)\" \(how); nothing was saved")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CommandFailure("the editor \"\(editor)\" removed the file; nothing was saved")
        }
        return TextInput.trimmingTrailingNewlines(String(decoding: data, as: UTF8.self))
    }
}
