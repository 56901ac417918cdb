import Storage
import SyncCore

/// Human output for notes: one-line rows for listings, a block for `show`.
enum NoteText {
    /// Rows of ID, DATE, CASE and NOTE (first line, tags and how many findings it is linked to),
    /// cut to the terminal width.
    static func table(_ notes: [NoteRecord], in store: Store, style: Style = .stdout) throws -> String {
        let aliases = try store.caseAliases()
        var table = Table("ID", "CREATED", "CASE", "NOTE")
        table.styles = [0: style.bold, 1: style.dim]
        let shown = try store.shownIDs(of: notes.map(\.id))
        for note in notes {
            let tags = note.tags.sorted().map { "#\($0)" }.joined(separator: " ")
            let links = note.links.isEmpty ? "" : "[\(note.links.count) finding\(note.links.count == 1 ? "" : "s")]"
            let summary = [Text.firstLine(note.text), tags, links].filter { !$0.isEmpty }.joined(separator: "  ")
            let caseLabel = note.caseToken.map { aliases[$0] ?? $0 } ?? "-"
            table.add(shown[note.id] ?? note.id.hex, Dates.human(note.created), caseLabel, summary)
        }
        return table.render(style: style)
    }

    /// Everything about one note, labelled, then its text.
    static func detail(_ note: NoteRecord, shortID: String, alias: String?, style: Style = .stdout) -> String {
        var lines: [String] = []
        // Every value may come from another device: made safe for the terminal.
        func row(_ label: String, _ value: String) {
            lines.append(style.dim(label.padding(8)) + " " + TerminalText.safe(value))
        }
        lines.append(style.bold("note \(shortID)") + style.dim("  \(note.id.hex)"))
        row("space", note.space.name)
        row("created", Dates.human(note.created))
        if note.updated != note.created { row("updated", Dates.human(note.updated)) }
        if note.purged { row("state", style.yellow("purged: its content was erased")) }
        else if note.deleted { row("state", style.yellow("in the bin")) }
        if let token = note.caseToken { row("case", alias.map { "\(token) (\($0))" } ?? token) }
        if !note.tags.isEmpty { row("tags", note.tags.sorted().joined(separator: ", ")) }
        for (index, key) in note.fields.keys.sorted().enumerated() {
            row(index == 0 ? "fields" : "", "\(key) = \(note.fields[key]!)")
        }
        if !note.links.isEmpty { row("findings", note.links.sorted().joined(separator: ", ")) }
        if !note.text.isEmpty {
            lines.append("")
            lines.append(TerminalText.safe(note.text, multiline: true))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// Padded with spaces to at least `width` characters.
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
