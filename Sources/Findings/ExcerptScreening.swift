import Foundation

/// What an excerpt must not hold, and what it may hold only when the worker says so twice.
///
/// A case's token or alias is refused however it is written: letters in any case, compatibility
/// forms (NFKC: full-width letters, ligatures), look-alike letters from other scripts folded to
/// Latin (a Cyrillic "а" for "a"), and invisible characters (zero-width spaces, joiners, soft
/// hyphens, bidirectional marks) removed; an alias is also matched by its words, so "the Smiths"
/// is caught as "Smiths" or "Smith". Names, dates, addresses, postcodes and phone numbers cannot
/// be known for sure, so they are *flagged*: `share` shows them highlighted and needs an explicit
/// yes for them (`--yes-excerpt`) even with `--yes`.
public enum ExcerptScreening {
    /// A part of the excerpt that looks identifying: its kind and the text as written.
    public struct Flag: Sendable, Hashable {
        public var kind: String
        public var text: String
    }

    /// The text folded for matching: invisible characters removed, NFKC, look-alikes folded,
    /// case and diacritics folded.
    public static func folded(_ text: String) -> String {
        let visible = String(String.UnicodeScalarView(text.unicodeScalars.filter { !isInvisible($0) }))
        let compatible = visible.precomposedStringWithCompatibilityMapping
        let latin = String(String.UnicodeScalarView(compatible.unicodeScalars.map { lookAlikes[$0] ?? $0 }))
        return latin.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_GB"))
    }

    /// Letters and digits only, folded: how a token is compared, whatever separates its parts.
    static func squeezed(_ text: String) -> String {
        String(String.UnicodeScalarView(folded(text).unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
    }

    /// The words of a folded text.
    static func words(_ text: String) -> [String] {
        folded(text).split { !$0.isLetter && !$0.isNumber && $0 != "'" }.map { $0.replacingOccurrences(of: "'s", with: "") }
    }

    /// Whether `excerpt` holds the case token, in any of the forms above.
    public static func holdsToken(_ excerpt: String, token: String) -> Bool {
        let needle = squeezed(token)
        return !needle.isEmpty && squeezed(excerpt).contains(needle)
    }

    /// Words of an alias that say nothing on their own.
    static let aliasFillers: Set<String> = ["the", "a", "an", "and", "of", "family", "mr", "mrs", "ms", "miss", "dr", "baby", "child", "case"]

    /// Whether `excerpt` holds the alias or one of its own words (3 letters or more), singular or
    /// plural: "Smiths" for "the Smiths", "Smith" for "Smith family".
    public static func holdsAlias(_ excerpt: String, alias: String) -> Bool {
        let aliasWords = words(alias).filter { $0.count >= 3 && !aliasFillers.contains($0) }
        guard !aliasWords.isEmpty else { return !squeezed(alias).isEmpty && squeezed(excerpt).contains(squeezed(alias)) }
        let excerptWords = Set(words(excerpt).map(singular))
        return aliasWords.contains { excerptWords.contains(singular($0)) }
    }

    static func singular(_ word: String) -> String {
        if word.count > 4, word.hasSuffix("es"), ["s", "x", "z", "h"].contains(word.dropLast(2).last.map(String.init) ?? "") { return String(word.dropLast(2)) }
        if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { return String(word.dropLast()) }
        return word
    }

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .format || scalar.value == 0x00AD || scalar.properties.isDefaultIgnorableCodePoint
    }

    /// Cyrillic and Greek letters drawn like Latin ones (Unicode's confusables for the letters a
    /// name is written in), both cases.
    static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs: [(String, String)] = [
            ("аеорсухіјѕԁԛԝӏ", "aeopcyxijsdqwl"), ("АВЕКМНОРСТХІЈЅ", "ABEKMHOPCTXIJS"),
            ("αοριυνκτχ", "aopiuvktx"), ("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX"),
        ]
        var map: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (from, to) in pairs {
            for (a, b) in zip(from.unicodeScalars, to.unicodeScalars) { map[a] = b }
        }
        return map
    }()
}
