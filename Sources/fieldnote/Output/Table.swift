/// A plain text table: columns padded to their widest cell, the last column cut to the width.
/// When the columns before the last leave it too little room (long finding ids at 80 columns),
/// each row is stacked instead: its first cell on a line, the others indented below it.
///
/// Every cell is made safe for the terminal (`TerminalText`): cells hold names, tags and text
/// from other devices. Styling is applied per column after the layout is worked out on plain
/// text, so escape codes never count towards a column's width.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// Styles per column, applied after padding and cutting.
    var styles: [Int: (String) -> String] = [:]

    init(_ headers: String...) { self.headers = headers }

    mutating func add(_ cells: String...) { rows.append(cells.map { TerminalText.safe($0) }) }

    func render(width: Int = Terminal.columns, style: Style = .stdout) -> String {
        let count = headers.count
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < count - 1 { widths[index] = max(widths[index], cell.count) }
        }
        let used = widths.dropLast().reduce(0) { $0 + $1 + 2 }
        if count > 1, width - used < Table.narrowestLastColumn { return stacked(width: width, style: style) }
        let last = max(10, width - used)
        func line(_ cells: [String], header: Bool) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                if index == count - 1 {
                    let cut = Text.truncated(cell, to: last)
                    parts.append(header ? style.bold(cut) : (styles[index]?(cut) ?? cut))
                } else {
                    let padded = cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
                    parts.append(header ? style.bold(padded) : (styles[index]?(padded) ?? padded))
                }
            }
            return parts.joined(separator: "  ")
        }
        return ([line(headers, header: true)] + rows.map { line($0, header: false) }).joined(separator: "\n")
    }

    /// Below this many columns for the last cell, rows are stacked.
    static let narrowestLastColumn = 24

    /// Each row as its first cell, styled as the first column, then the rest indented on one line.
    private func stacked(width: Int, style: Style) -> String {
        rows.map { row in
            let first = row.first ?? ""
            let rest = "    " + row.dropFirst().filter { !$0.isEmpty }.joined(separator: "  ")
            return (styles[0]?(first) ?? first) + "\n" + Text.truncated(rest, to: width)
        }.joined(separator: "\n")
    }
}

enum Text {
    /// The text cut to `width` characters, ending in "…" when cut.
    static func truncated(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        return String(text.prefix(max(0, width - 1))) + "…"
    }

    /// The first line of a note, with runs of whitespace collapsed.
    static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return oneLine(line)
    }

    /// Newlines and runs of spaces become single spaces.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
