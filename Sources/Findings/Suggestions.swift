import Foundation
import Storage
import SyncCore

/// One finding suggested for a note: its BM25 score (higher is better) and the terms that matched.
public struct Suggestion: Sendable, Hashable {
    public var finding: Finding
    public var score: Double
    /// The note's terms found in the finding, most weighty first (stemmed: `caseloads` → `caseload`).
    public var matchedTerms: [String]
}

/// Ranks findings for a note by relevance: Okapi BM25 (k1 = 1.2, b = 0.75, the weights SQLite's
/// FTS5 uses) over the note's text, tags, field names and field values, against each finding's
/// title, quote, summary, category (its name and description), publisher and authority.
///
/// Implemented in Swift rather than through an FTS5 table so that the Findings target needs no
/// direct GRDB dependency (Package.swift stays as it is) and so the matched terms are known
/// exactly. The index is built once per catalog; scoring a note is linear in the catalog.
public struct SuggestionIndex: Sendable {
    public static let k1 = 1.2
    public static let b = 0.75

    private struct Document: Sendable {
        var finding: Finding
        var termCounts: [String: Int]
        var length: Int
    }

    private let documents: [Document]
    private let documentFrequency: [String: Int]
    private let averageLength: Double

    public init(catalog: FindingsCatalog) {
        self.init(findings: catalog.findings)
    }

    public init(findings: [Finding]) {
        var documents: [Document] = []
        var frequency: [String: Int] = [:]
        for finding in findings {
            let category = finding.category.rawValue.replacingOccurrences(of: "_", with: " ") + " " + finding.category.summary
            // The title and category count twice: they say what the finding is about.
            let text = [finding.title, finding.title, category, category, finding.quote, finding.summary, finding.publisher, finding.authority]
                .joined(separator: " ")
            let terms = Tokenizer.terms(text)
            var counts: [String: Int] = [:]
            for term in terms { counts[term, default: 0] += 1 }
            for term in counts.keys { frequency[term, default: 0] += 1 }
            documents.append(Document(finding: finding, termCounts: counts, length: terms.count))
        }
        self.documents = documents
        self.documentFrequency = frequency
        let total = documents.reduce(0) { $0 + $1.length }
        self.averageLength = documents.isEmpty ? 1 : max(1, Double(total) / Double(documents.count))
    }

    /// The terms a note contributes to the query: its text and tags, each field's name (with `_`
    /// as a space) and each text value. Numbers are dropped (a caseload of 34 says "caseload", not "34"),
    /// and so is the case token.
    public static func queryTerms(for note: NoteRecord) -> [String] {
        queryTerms(text: note.text, tags: note.tags, fields: note.fields)
    }

    public static func queryTerms(text: String, tags: [String] = [], fields: [String: FieldValue] = [:]) -> [String] {
        var parts = [text]
        parts += tags.map { $0.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ") }
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            parts.append(key.replacingOccurrences(of: "_", with: " "))
            if case .string(let word) = value { parts.append(word.replacingOccurrences(of: "_", with: " ")) }
        }
        return Tokenizer.terms(parts.joined(separator: " "))
    }

    /// The findings ranked for a note, best first, leaving out findings with no matching term.
    /// - Parameters:
    ///   - excluding: ids not to suggest (the note's existing links, say).
    ///   - limit: at most this many.
    public func suggest(for note: NoteRecord, excluding: Set<String> = [], limit: Int = 5) -> [Suggestion] {
        rank(terms: SuggestionIndex.queryTerms(for: note), excluding: excluding, limit: limit)
    }

    /// Ranks for free text (for tests and `suggest --text`).
    public func suggest(text: String, fields: [String: FieldValue] = [:], excluding: Set<String> = [], limit: Int = 5) -> [Suggestion] {
        rank(terms: SuggestionIndex.queryTerms(text: text, fields: fields), excluding: excluding, limit: limit)
    }

    func rank(terms: [String], excluding: Set<String>, limit: Int) -> [Suggestion] {
        let query = Array(Set(terms))
        let count = Double(documents.count)
        var results: [Suggestion] = []
        for document in documents where !excluding.contains(document.finding.id) {
            var score = 0.0
            var matched: [(String, Double)] = []
            for term in query {
                guard let frequency = document.termCounts[term] else { continue }
                let containing = Double(documentFrequency[term] ?? 0)
                // FTS5's idf: never below a small positive floor, so very common terms still count a little.
                let idf = max(1e-6, log((count - containing + 0.5) / (containing + 0.5)))
                let tf = Double(frequency)
                let weight = idf * tf * (SuggestionIndex.k1 + 1)
                    / (tf + SuggestionIndex.k1 * (1 - SuggestionIndex.b + SuggestionIndex.b * Double(document.length) / averageLength))
                score += weight
                matched.append((term, weight))
            }
            guard score > 0 else { continue }
            let terms = matched.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.map(\.0)
            results.append(Suggestion(finding: document.finding, score: score, matchedTerms: terms))
        }
        results.sort { ($0.score, $1.finding.id) > ($1.score, $0.finding.id) }
        return Array(results.prefix(max(0, limit)))
    }
}

/// Words to terms: lower case, letters and digits only, stop words dropped, a light English stemmer.
enum Tokenizer {
    static let stopWords: Set<String> = [
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
        "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her",
        "here", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "more", "most", "my", "no",
        "not", "of", "on", "one", "or", "other", "our", "out", "over", "she", "so", "some", "such", "than", "that",
        "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "up", "very", "was",
        "we", "were", "what", "when", "where", "which", "while", "who", "will", "with", "would", "you", "your",
    ]

    static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var word = ""
        func flush() {
            defer { word = "" }
            guard !word.isEmpty, !stopWords.contains(word), !word.allSatisfy(\.isNumber) else { return }
            let stemmed = stem(word)
            if stemmed.count > 1 { terms.append(stemmed) }
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if character == "’" || character == "'" {
                continue   // social workers' → workers, children's → childrens → children
            } else {
                flush()
            }
        }
        flush()
        return terms
    }

    /// Folds the common English inflections together: plurals, possessives, -ing, -ed, -ly.
    static func stem(_ word: String) -> String {
        var word = word
        if word.hasSuffix("s"), word.count > 3, !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") {
            if word.hasSuffix("ies"), word.count > 4 { word = String(word.dropLast(3)) + "y" }
            else if word.hasSuffix("sses") { word = String(word.dropLast(2)) }
            else { word = String(word.dropLast()) }
        }
        for suffix in ["ing", "ed"] where word.hasSuffix(suffix) && word.count > suffix.count + 3 {
            word = String(word.dropLast(suffix.count))
            if let last = word.last, let previous = word.dropLast().last, last == previous, !"sfz".contains(last) {
                word = String(word.dropLast())   // cancelled → cancel, stopped → stop
            }
            break
        }
        if word.hasSuffix("ly"), word.count > 5 { word = String(word.dropLast(2)) }
        return word
    }
}
