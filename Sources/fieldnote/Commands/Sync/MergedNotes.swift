import Storage
import SyncCore
import Transport

/// The notes a sync merged from concurrent changes, as `sync` reports them: for each, its short
/// id, the first line of the merged text, and who else had changed it.
struct MergedNotes {
    struct Entry {
        let mark: MergeMark
        let shortID: String
        let firstLine: String
        /// The authors of the concurrent changes other than this device.
        let others: [ReplicaID]
    }

    let entries: [Entry]
    let names: ReplicaNames

    init(_ summary: SyncSummary, store: Store) throws {
        names = try ReplicaNames(store: store)
        let shortIDs = try store.shownIDs(of: summary.merged.map(\.note))
        entries = try summary.merged.map { mark in
            let text = try store.note(mark.note).text
            return Entry(mark: mark, shortID: shortIDs[mark.note] ?? mark.note.short,
                         firstLine: String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""),
                         others: mark.authors.filter { $0 != store.replica })
        }
    }

    /// For `sync --json`: exact text, full ids.
    var json: [[String: Any]] {
        entries.map { entry in
            [
                "id": entry.mark.note.hex,
                "short_id": entry.shortID,
                "first_line": entry.firstLine,
                "text": entry.mark.text,
                "fields": entry.mark.fields,
                "edited_by": entry.others.map(names.json),
            ] as [String: Any]
        }
    }

    /// For people: a heading line, then one line a note, with what the sync cannot know — whether
    /// the merged words still say what either side meant — left to them.
    func lines(style: Style) -> [String] {
        guard !entries.isEmpty else { return [] }
        let count = entries.count == 1 ? "1 note was" : "\(entries.count) notes were"
        var lines = [style.dim("  merged    ") + style.yellow("\(count) changed on both sides; check it reads right (`fieldnote history ID --text`)")]
        for entry in entries {
            let who = entry.others.isEmpty ? "" : ", also edited by " + names.list(entry.others)
            lines.append("            " + style.bold(entry.shortID) + "  " + TerminalText.safe(Text.oneLine(entry.firstLine))
                         + style.dim("  (" + TerminalText.safe(entry.mark.subjects + who) + ")"))
        }
        return lines
    }
}
