/// An excerpt a member chose to share, quoted in the report under its category.
public struct ReportQuote: Sendable, Hashable, Codable {
    /// The category's key (`FindingCategory`).
    public var category: String
    public var text: String
}

extension FigureSettlement {
    /// The excerpts of the records a category row draws on — only those in months where the
    /// category was shown, so from at least `minReporters` people — ordered by their words, not
    /// by when they were shared, so the order says nothing about who wrote which.
    func quotes(category: String, row: Int) -> [ReportQuote] {
        Set(shownRecords(row).compactMap { records[$0].excerpt }).sorted().map { ReportQuote(category: category, text: $0) }
    }
}

extension Report {
    /// The quotes of one category, for the renderers.
    func quotes(of category: String) -> [String] {
        quotes.filter { $0.category == category }.map(\.text)
    }
}
