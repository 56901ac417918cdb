/// The catalog of real published findings that ships with fieldnote, as JSON (decoded once by
/// `FindingsCatalog.builtIn`). Embedded as Swift strings so the package needs no resource bundle,
/// and split in two files (councils, national) only to keep each file readable.
///
/// Rules for entries (the catalog tests hold every entry to them):
/// - `quote` is the source's own words, verbatim, never more. Where the report itself was not
///   read, the words were checked in the publication named in `quoted_in`, which quotes the report.
/// - `verified_in` names the text in which the quote's exact words were seen, with its URL where
///   it has one. A rep quoting a finding to a Director has to be able to show where the words are;
///   when two copies of a report disagree, the wording that more than one independent copy
///   supports wins, and `verified_in` says which copy that is.
/// - Where a seed article is the text named in `verified_in`, the quote uses only its words.
/// - `summary` is our wording, not a quote; it says when a figure is a reporter's, not the source's.
/// - Ids are stable: never rename or reuse one (notes and evidence records link to them).
enum BuiltInCatalog {
    static let parts = [councils, national]
}
