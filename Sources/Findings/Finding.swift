import Foundation

/// One published finding: what an inspection, review or report found, in its own words, with where
/// it was published.
///
/// The catalog ships real findings with stable ids (`ofsted-worcestershire-2017-caseloads`); users
/// add their own, which are checked by `validate()` before they are stored. Notes link to findings
/// by `id`, evidence records carry the ids and categories, and reports cite `source`.
///
/// JSON keys are snake_case (see `Finding+Codable.swift`): `id`, `title`, `publisher`, `authority`,
/// `published`, `category`, `quote`, `summary`, `source`, `quoted_in`, `verified_in`.
public struct Finding: Sendable, Hashable, Identifiable {
    /// Stable id: 3–80 characters of `a-z`, `0-9` and `-`, starting with a letter.
    public var id: String
    /// A short headline in plain words.
    public var title: String
    /// Who published it (Ofsted, the Local Government Association, a council's scrutiny committee).
    public var publisher: String
    /// The body the finding is about: a council (`Worcestershire County Council`) or `England` for national reviews.
    public var authority: String
    /// Publication date, ISO 8601 at the precision known: `2017-01-24`, `2009-10` or `2011`.
    public var published: String
    public var category: FindingCategory
    /// A short quote: the source's own words, verbatim.
    public var quote: String
    /// What the finding says, in a sentence or two (not a quote). May be empty.
    public var summary: String
    /// Where the finding was published: a URL or a full citation.
    public var source: String
    /// Where the quote's exact words were checked, when that is not `source` itself
    /// (a news report quoting an inspection report, say). Nil when the quote was read in the source.
    public var quotedIn: String?
    /// The text in which the quote's words were actually seen, with its URL where it has one.
    /// A rep citing a finding in front of a Director must be able to show where the words came
    /// from, and `quoted_in` can name a publication that was never itself read. Every built-in
    /// finding carries it; a user's finding may not.
    public var verifiedIn: String?

    public init(
        id: String, title: String, publisher: String, authority: String, published: String,
        category: FindingCategory, quote: String, summary: String = "", source: String, quotedIn: String? = nil,
        verifiedIn: String? = nil
    ) {
        self.id = id
        self.title = title
        self.publisher = publisher
        self.authority = authority
        self.published = published
        self.category = category
        self.quote = quote
        self.summary = summary
        self.source = source
        self.quotedIn = quotedIn
        self.verifiedIn = verifiedIn
    }

    /// The publication year, for sorting and display.
    public var year: Int { Int(published.prefix(4)) ?? 0 }

    /// A one-line citation: `Ofsted, Worcestershire County Council, 2017-01-24. <source>`.
    public var citation: String {
        var text = "\(publisher), \(authority), \(published). \(source)"
        if let quotedIn { text += " (quote as given in \(quotedIn))" }
        return text
    }
}

// MARK: - Validation

extension Finding {
    public static let maximumTitleLength = 200
    public static let maximumNameLength = 200
    public static let maximumQuoteLength = 1_000
    public static let maximumSummaryLength = 2_000
    public static let maximumSourceLength = 500

    /// Whether `id` is a well-formed finding id: 3–80 of `a-z 0-9 -`, starting with a letter,
    /// not ending with `-`, no `--`.
    public static func isValidID(_ id: String) -> Bool {
        let units = Array(id.utf8)
        guard (3...80).contains(units.count), let first = units.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
              units.last != UInt8(ascii: "-"), !id.contains("--") else { return false }
        return units.allSatisfy { unit in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(unit) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(unit)
                || unit == UInt8(ascii: "-")
        }
    }

    /// Every problem with this finding, in field order; empty when it is valid.
    ///
    /// Checks: id format; title, publisher, authority, quote and source present and not too long;
    /// `published` a real date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` from 1900 on and not in
    /// the future; `source` an http(s) URL or a citation of at least 10 characters.
    public func problems(now: Date = Date()) -> [String] {
        var problems: [String] = []
        if !Finding.isValidID(id) {
            problems.append("id \"\(id)\" is not valid: use 3–80 of a-z 0-9 -, starting with a letter (like ofsted-worcestershire-2017-caseloads)")
        }
        func text(_ name: String, _ value: String, max: Int, required: Bool = true) {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if required && trimmed.isEmpty { problems.append("\(name) is empty") }
            if value.count > max { problems.append("\(name) is longer than \(max) characters") }
        }
        text("title", title, max: Finding.maximumTitleLength)
        text("publisher", publisher, max: Finding.maximumNameLength)
        text("authority", authority, max: Finding.maximumNameLength)
        if PublicationDate(published, notAfter: now) == nil {
            problems.append("published \"\(published)\" is not a date: use YYYY-MM-DD, YYYY-MM or YYYY, not in the future")
        }
        text("quote", quote, max: Finding.maximumQuoteLength)
        text("summary", summary, max: Finding.maximumSummaryLength, required: false)
        text("source", source, max: Finding.maximumSourceLength)
        let trimmedSource = source.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmedSource.isEmpty {
            let lower = trimmedSource.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                if URL(string: trimmedSource)?.host == nil { problems.append("source \"\(source)\" is not a valid URL") }
            } else if trimmedSource.count < 10 {
                problems.append("source must be a URL (https://…) or a full citation")
            }
        }
        if let quotedIn, quotedIn.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || quotedIn.count > Finding.maximumSourceLength {
            problems.append("quoted_in must be empty or a URL or citation up to \(Finding.maximumSourceLength) characters")
        }
        if let verifiedIn, verifiedIn.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || verifiedIn.count > Finding.maximumSourceLength {
            problems.append("verified_in, when given, must be a URL or citation up to \(Finding.maximumSourceLength) characters")
        }
        return problems
    }

    /// Throws `invalidFinding` listing every problem, or returns normally.
    public func validate(now: Date = Date()) throws(FindingsError) {
        let problems = problems(now: now)
        guard problems.isEmpty else {
            throw FindingsError(.invalidFinding, "finding \(id.isEmpty ? "(no id)" : id) is not valid: " + problems.joined(separator: "; "))
        }
    }
}

/// A publication date at year, month or day precision.
struct PublicationDate: Hashable, Comparable {
    var year: Int
    var month: Int?
    var day: Int?

    init?(_ text: String, notAfter now: Date? = nil) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]), year >= 1900 else { return nil }
        self.year = year
        if parts.count >= 2 {
            guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            self.month = month
        }
        if parts.count == 3 {
            guard parts[2].count == 2, let day = Int(parts[2]), (1...31).contains(day) else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let components = DateComponents(year: year, month: month, day: day)
            guard let date = calendar.date(from: components),
                  calendar.component(.day, from: date) == day else { return nil }
            self.day = day
        }
        if let now {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let today = calendar.dateComponents([.year, .month, .day], from: now)
            let nowKey = (today.year ?? 0, today.month ?? 0, today.day ?? 0)
            if (year, month ?? 1, day ?? 1) > nowKey { return nil }
        }
    }

    static func < (lhs: PublicationDate, rhs: PublicationDate) -> Bool {
        (lhs.year, lhs.month ?? 0, lhs.day ?? 0) < (rhs.year, rhs.month ?? 0, rhs.day ?? 0)
    }
}
