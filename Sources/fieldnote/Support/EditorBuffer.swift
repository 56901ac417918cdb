import Storage

/// What the editor opens: the note's text, a blank line, then help lines behind a comment character.
///
/// Help lines are dropped again when the file is read back, so the comment character must never
/// start a line of the note itself: as git does with `core.commentChar=auto`, the first of
/// `# ; @ ! $ % ^ & | :` that starts no line of the text is used. A line is a comment only when
/// its very first character is that one, so no line of the original text can be taken for one.
/// When every candidate starts some line, no help is written and nothing is dropped.
struct EditorBuffer {
    /// Which note is being written, for the help lines.
    enum Purpose {
        case newNote
        /// An existing note, by the short id people type.
        case existingNote(String)
    }

    static let commentCandidates: [Character] = ["#", ";", "@", "!", "$", "%", "^", "&", "|", ":"]

    let text: String
    let commentCharacter: Character?
    let contents: String

    init(text: String, purpose: Purpose) {
        self.text = text
        let starts = Set(Self.lines(of: text).compactMap(\.first))
        commentCharacter = Self.commentCandidates.first { !starts.contains($0) }
        guard let comment = commentCharacter else {
            contents = text.isEmpty ? "" : text + "\n"
            return
        }
        let help = Self.help(for: purpose, comment: comment).map { "\(comment) \($0)" }
        contents = ([text, ""] + help).joined(separator: "\n") + "\n"
    }

    /// The saved file without its comment lines and without trailing newlines.
    func noteText(fromSaved saved: String) -> String {
        let kept = Self.lines(of: saved).filter { line in commentCharacter.map { line.first != $0 } ?? true }
        return TextInput.trimmingTrailingNewlines(kept.joined(separator: "\n"))
    }

    /// Lines split at "\n" only, so a "\r\n" ending stays part of its line as it was typed.
    static func lines(of text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    static func help(for purpose: Purpose, comment: Character) -> [String] {
        let dropped = comment == "#"
            ? "Lines starting with \"#\" are left out."
            : "Lines starting with \"\(comment)\" are left out (not \"#\": a line of the note starts with it)."
        switch purpose {
        case .newNote:
            return wrapped("Write the note above. " + dropped)
                + ["To save it, save and quit (vim: :wq). To abandon it, leave it empty,",
                    "or quit with an error (vim: :cq).",
                    "Fields are given on the command line: fieldnote add --field KEY=VALUE,"]
                + wrapped("known keys: " + FieldCatalog.keyList + ".")
                + ["Tags likewise: --tag TAG (or later: fieldnote tag ID +TAG)."]
        case .existingNote(let id):
            return wrapped("Change note \(id) above. " + dropped)
                + ["To save it, save and quit (vim: :wq). To keep the note as it was,",
                    "quit with an error (vim: :cq) or without saving (vim: :q!).",
                    "Tags are changed with: fieldnote tag \(id) +TAG -TAG."]
        }
    }

    /// Splits at spaces into lines of at most about 72 characters, so the help fits a terminal.
    static func wrapped(_ sentence: String, width: Int = 72) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in sentence.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
