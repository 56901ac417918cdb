import Storage

/// `history --text`: the text after each change, and at each merge both sides' texts and the result.
enum TextHistoryOutput {
    static func text(_ entries: [TextHistoryEntry], names: ReplicaNames, style: Style) -> String {
        var blocks: [String] = []
        for entry in entries {
            switch entry {
            case .change(let replica, let timestamp, let text, let side):
                var heading = style.dim(Dates.human(timestamp)) + "  " + style.bold(TerminalText.safe(names.name(replica)))
                if let side {
                    let unaware = side.isLocal ? names.name(side.sender) : "this device"
                    heading += style.yellow("  concurrent: \(TerminalText.safe(unaware)) had not seen this before the merge")
                }
                blocks.append(heading + "\n" + indented(text, style: style))
            case .merge(let mark, let localText, let remoteText, let mergedText):
                let sender = TerminalText.safe(names.name(mark.sender))
                var lines = [style.dim(Dates.human(mark.mergedAt)) + "  "
                    + style.yellow("merged in a sync with \(sender): the text was edited on both devices at once")]
                lines.append("  this device had:\n" + indented(localText, style: style))
                lines.append("  \(sender) had:\n" + indented(remoteText, style: style))
                lines.append("  " + style.bold("merged:") + "\n" + indented(mergedText, style: style))
                blocks.append(lines.joined(separator: "\n"))
            }
        }
        return blocks.isEmpty ? "no text" : blocks.joined(separator: "\n\n")
    }

    private static func indented(_ text: String, style: Style) -> String {
        guard !text.isEmpty else { return "    " + style.dim("(empty)") }
        return TerminalText.safe(text, multiline: true).split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }.joined(separator: "\n")
    }

    static func json(_ entry: TextHistoryEntry, names: ReplicaNames) -> [String: Any] {
        switch entry {
        case .change(let replica, let timestamp, let text, let side):
            var object: [String: Any] = ["type": "change", "time": Dates.iso8601(timestamp), "by": names.json(replica), "text": text]
            if let side { object["side"] = side.isLocal ? "local" : "remote"; object["sender"] = names.json(side.sender) }
            return object
        case .merge(let mark, let localText, let remoteText, let mergedText):
            return [
                "type": "merge", "time": Dates.iso8601(mark.mergedAt), "sender": names.json(mark.sender),
                "edited_by": mark.authors.map(names.json), "fields": mark.fields,
                "local_text": localText, "remote_text": remoteText, "merged_text": mergedText,
            ]
        }
    }
}
