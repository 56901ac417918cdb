import Foundation

/// Note text from an argument, from stdin (`-`), or from the editor (see `Editor`).
enum TextInput {
    /// All of stdin, with trailing newlines dropped (`echo` adds one).
    static func readStandardInput() -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        return trimmingTrailingNewlines(String(decoding: data, as: UTF8.self))
    }

    static func trimmingTrailingNewlines(_ text: String) -> String {
        var text = text
        while let last = text.last, last.isNewline { text.removeLast() }
        return text
    }

    /// Refuses text that is empty or only whitespace.
    static func requireText(_ text: String, _ what: String = "a note") throws -> String {
        guard !text.allSatisfy(\.isWhitespace) else {
            throw CommandFailure("\(what) cannot be empty; nothing was saved", status: .invalidValue)
        }
        return text
    }
}
