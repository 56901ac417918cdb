import Foundation

/// One problem in an import file: the (1-based) line of the row or place it concerns, and what is wrong.
public struct ImportIssue: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

/// An import was refused. Lists every bad row; nothing was imported.
public struct FindingsImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [ImportIssue]
    public var description: String {
        "nothing imported: \(issues.count) problem\(issues.count == 1 ? "" : "s")\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }
    /// The same problems as a `FindingsError` (`invalidImport`), for callers that handle one error type.
    public var asFindingsError: FindingsError { FindingsError(.invalidImport, description) }
}

/// Reading user findings from a file for `findings import FILE`.
///
/// All or nothing: `parse` returns findings only when every row is valid (fields, id format, date,
/// category, no id used twice in the file or already in `existingIDs`); otherwise it throws
/// `FindingsImportError` listing every bad row with its line number.
///
/// - JSON: an array of objects with the keys of `Finding` (`id`, `title`, `publisher`, `authority`,
///   `published`, `category`, `quote`, `source`, optional `summary`, `quoted_in`, `verified_in`). A row's line is
///   the line its `{` is on.
/// - CSV (RFC 4180): a header row naming the same columns, in any order; fields may be quoted and
///   hold commas, quotes (`""`) and line breaks. A row's line is the line it starts on.
public enum FindingsImport {
    public enum Format: String, Sendable, CaseIterable {
        case json, csv

        /// From a file name's extension (`.json`, `.csv`), case-insensitively.
        public init?(fileName: String) {
            let lower = fileName.lowercased()
            if lower.hasSuffix(".json") { self = .json } else if lower.hasSuffix(".csv") { self = .csv } else { return nil }
        }

        /// Guesses from the content: JSON starts with `[` or `{` (after white space), anything else is CSV.
        public init(sniffing data: Data) {
            let first = data.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }
            self = (first == UInt8(ascii: "[") || first == UInt8(ascii: "{")) ? .json : .csv
        }
    }

    static let required = ["id", "title", "publisher", "authority", "published", "category", "quote", "source"]
    static let optional = ["summary", "quoted_in", "verified_in"]

    /// Parses and checks every row; see the type's documentation.
    /// - Parameter existingIDs: ids already taken (the catalog's), which imported rows may not reuse.
    public static func parse(
        data: Data, format: Format, existingIDs: Set<String> = FindingsCatalog.builtInIDs, now: Date = Date()
    ) throws(FindingsImportError) -> [Finding] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw FindingsImportError(issues: [ImportIssue(line: 1, message: "the file is not UTF-8 text")])
        }
        let rows: [(line: Int, values: [String: String])]
        var issues: [ImportIssue]
        switch format {
        case .json: (rows, issues) = try jsonRows(text, data: data)
        case .csv: (rows, issues) = try csvRows(text)
        }
        guard !rows.isEmpty || !issues.isEmpty else {
            throw FindingsImportError(issues: [ImportIssue(line: 1, message: "the file holds no findings")])
        }
        var findings: [Finding] = []
        var firstLine: [String: Int] = [:]
        for row in rows {
            var rowIssues: [String] = []
            let missing = required.filter { (row.values[$0] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            if !missing.isEmpty { rowIssues.append("missing \(missing.joined(separator: ", "))") }
            let rawCategory = row.values["category"] ?? ""
            let category = FindingCategory(rawValue: rawCategory.trimmingCharacters(in: .whitespaces).lowercased())
            if category == nil, !rawCategory.isEmpty {
                rowIssues.append("unknown category \"\(rawCategory)\"; use one of \(FindingCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            func optionalText(_ key: String) -> String? {
                row.values[key].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            }
            let finding = Finding(
                id: (row.values["id"] ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
                title: row.values["title"] ?? "", publisher: row.values["publisher"] ?? "",
                authority: row.values["authority"] ?? "", published: (row.values["published"] ?? "").trimmingCharacters(in: .whitespaces),
                category: category ?? .workforce, quote: row.values["quote"] ?? "", summary: row.values["summary"] ?? "",
                source: row.values["source"] ?? "", quotedIn: optionalText("quoted_in"), verifiedIn: optionalText("verified_in"))
            if missing.isEmpty {
                rowIssues += finding.problems(now: now)
            }
            if !finding.id.isEmpty {
                if existingIDs.contains(finding.id) {
                    rowIssues.append("id \(finding.id) is already in the catalog")
                } else if let earlier = firstLine[finding.id] {
                    rowIssues.append("id \(finding.id) is also used on line \(earlier)")
                } else {
                    firstLine[finding.id] = row.line
                }
            }
            if rowIssues.isEmpty { findings.append(finding) } else {
                issues.append(ImportIssue(line: row.line, message: rowIssues.joined(separator: "; ")))
            }
        }
        guard issues.isEmpty else { throw FindingsImportError(issues: issues.sorted { $0.line < $1.line }) }
        return findings
    }

    // MARK: CSV

    private static func csvRows(_ text: String) throws(FindingsImportError) -> ([(line: Int, values: [String: String])], [ImportIssue]) {
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch {
            throw FindingsImportError(issues: [ImportIssue(line: error.line, message: error.message)])
        }
        guard let header = records.first else { return ([], []) }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var headerIssues: [String] = []
        let missing = required.filter { !columns.contains($0) }
        if !missing.isEmpty { headerIssues.append("the header lacks column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))") }
        let unknown = columns.filter { !required.contains($0) && !optional.contains($0) }
        if !unknown.isEmpty { headerIssues.append("unknown column\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); known: \((required + optional).joined(separator: ", "))") }
        let repeated = Set(columns.filter { column in columns.filter { $0 == column }.count > 1 })
        if !repeated.isEmpty { headerIssues.append("column\(repeated.count == 1 ? "" : "s") \(repeated.sorted().joined(separator: ", ")) appear more than once") }
        guard headerIssues.isEmpty else {
            throw FindingsImportError(issues: [ImportIssue(line: header.line, message: headerIssues.joined(separator: "; "))])
        }
        var rows: [(line: Int, values: [String: String])] = []
        var issues: [ImportIssue] = []
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                issues.append(ImportIssue(line: record.line, message: "\(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), but the header has \(columns.count)"))
                continue
            }
            rows.append((record.line, Dictionary(uniqueKeysWithValues: zip(columns, record.fields))))
        }
        return (rows, issues)
    }

    // MARK: JSON

    private static func jsonRows(_ text: String, data: Data) throws(FindingsImportError) -> ([(line: Int, values: [String: String])], [ImportIssue]) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let line = JSONLines.errorLine(in: text)
            throw FindingsImportError(issues: [ImportIssue(line: line, message: "not valid JSON")])
        }
        let elements: [Any]
        if let array = object as? [Any] { elements = array } else if object is [String: Any] { elements = [object] } else {
            throw FindingsImportError(issues: [ImportIssue(line: 1, message: "expected an array of finding objects")])
        }
        let lines = JSONLines.elementLines(in: text)
        var rows: [(line: Int, values: [String: String])] = []
        var issues: [ImportIssue] = []
        for (position, element) in elements.enumerated() {
            let line = position < lines.count ? lines[position] : 1
            guard let dictionary = element as? [String: Any] else {
                issues.append(ImportIssue(line: line, message: "entry \(position + 1) is not an object"))
                continue
            }
            var values: [String: String] = [:]
            var rowIssues: [String] = []
            for (key, value) in dictionary {
                guard required.contains(key) || optional.contains(key) else {
                    rowIssues.append("unknown key \"\(key)\"")
                    continue
                }
                if value is NSNull { continue }
                guard let string = value as? String else {
                    rowIssues.append("\(key) must be a string")
                    continue
                }
                values[key] = string
            }
            if rowIssues.isEmpty { rows.append((line, values)) } else {
                issues.append(ImportIssue(line: line, message: rowIssues.sorted().joined(separator: "; ")))
            }
        }
        return (rows, issues)
    }
}

/// Line numbers in JSON text, which `JSONSerialization` does not report.
enum JSONLines {
    /// The line on which each element of the top-level array starts.
    static func elementLines(in text: String) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var expectingElement = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" { line += 1 }
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            let isSpace = scalar == " " || scalar == "\n" || scalar == "\r" || scalar == "\t"
            if expectingElement && !isSpace && scalar != "]" {
                lines.append(line)
                expectingElement = false
            }
            switch scalar {
            case "\"": inString = true
            case "[", "{":
                depth += 1
                if depth == 1 && scalar == "[" { expectingElement = true }
            case "]", "}": depth -= 1
            case ",": if depth == 1 { expectingElement = true }
            default: break
            }
        }
        return lines
    }

    /// A best guess at the line of a syntax error: the line where the structure stops balancing,
    /// or the last line when the text ends early.
    static func errorLine(in text: String) -> Int {
        var line = 1
        var stack: [Unicode.Scalar] = []
        var inString = false
        var escaped = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if inString { return line }   // raw line breaks are not allowed in JSON strings
                line += 1
            }
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            switch scalar {
            case "\"": inString = true
            case "[", "{": stack.append(scalar)
            case "]": if stack.popLast() != "[" { return line }
            case "}": if stack.popLast() != "{" { return line }
            default: break
            }
        }
        return line
    }
}
