/// RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field in double quotes may
/// hold commas, line breaks and `""` for a quote. Used by `FindingsImport` and the CSV report.
public enum CSV {
    /// One record and the (1-based) physical line it starts on.
    public struct Record: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses `text` into records. A trailing line break does not make an empty record; blank
    /// lines are skipped. Errors: a quote that is never closed, or text after a closing quote.
    public static func parse(_ text: String) throws(ParseError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false   // the current field was quoted and its closing quote seen
        var quoteLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !quotedField) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            quotedField = false
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if inQuotes {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                        quotedField = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    if scalar == "\r" {
                        // CRLF inside a quoted field is one line break.
                        if index + 1 < scalars.count, scalars[index + 1] == "\n" {
                            field.unicodeScalars.append("\r"); field.unicodeScalars.append("\n")
                            index += 2; line += 1; continue
                        }
                        line += 1
                    }
                    field.unicodeScalars.append(scalar)
                }
                index += 1
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !quotedField else {
                    throw ParseError(line: line, message: "a double quote inside an unquoted field; quote the whole field and double the quote (\"\")")
                }
                inQuotes = true
                quoteLine = line
            case ",":
                fields.append(field)
                field = ""
                quotedField = false
            case "\r", "\n":
                if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            default:
                if quotedField {
                    throw ParseError(line: line, message: "text after the closing quote of a field")
                }
                field.unicodeScalars.append(scalar)
            }
            index += 1
        }
        if inQuotes { throw ParseError(line: quoteLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
        return records
    }

    /// One field, quoted when it holds a comma, quote, CR or LF (or leading/trailing spaces).
    ///
    /// By Unicode scalars, as the parser reads: by Characters, a quote followed by a combining
    /// mark (`"` U+06DB) is one Character that is not `"`, so it was neither seen nor doubled,
    /// and a field could end early — a finding's title breaking out of its cell.
    public static func escape(_ field: String) -> String {
        let scalars = field.unicodeScalars
        let needsQuotes = scalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || scalars.first == " " || scalars.last == " "
        guard needsQuotes else { return field }
        return "\"" + doublingQuotes(field) + "\""
    }

    /// `field` with every quote scalar doubled.
    static func doublingQuotes(_ field: String) -> String {
        var doubled = String.UnicodeScalarView()
        for scalar in field.unicodeScalars {
            doubled.append(scalar)
            if scalar == "\"" { doubled.append(scalar) }
        }
        return String(doubled)
    }

    /// Records joined with CRLF, as RFC 4180 says, ending with a CRLF. Parses back to `rows`.
    public static func write(_ rows: [[String]]) -> String {
        rows.map { $0.map(escape).joined(separator: ",") + "\r\n" }.joined()
    }

    /// As `write`, for a file people open in a spreadsheet: every field that a spreadsheet would
    /// run as a formula is neutralised (`neutralised`).
    public static func writeForSpreadsheets(_ rows: [[String]]) -> String {
        rows.map { $0.map(neutralised).joined(separator: ",") + "\r\n" }.joined()
    }

    /// The first characters with which a spreadsheet reads a cell as a formula (OWASP, "CSV
    /// Injection"): `=HYPERLINK(…)` makes a link, `=cmd|' /C calc'!A0` runs a program through
    /// DDE, and `+`, `-`, `@`, a tab or a carriage return start one as well.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field as written: as `escape` gives it, unless it begins like a formula; then, as
    /// OWASP says, prefixed with a single quote (which spreadsheets take as "this is text") and
    /// quoted, so that no separator or quote in it can end the field early.
    public static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, formulaStarts.contains(first) else { return escape(field) }
        return "\"'" + doublingQuotes(field) + "\""
    }
}
