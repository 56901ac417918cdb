/// Text from users and peers in a Markdown report, shown as the text it is.
///
/// A finding's title, a source, or a finding id forged into an evidence record is written by
/// someone else's device. Put into Markdown as it is, `<script>…</script>` is HTML,
/// `![x](http://x/a.png)` an image fetched when the report is opened, `[click](javascript:…)` a
/// link, and a `|` ends a table cell. Every character Markdown could read as syntax is escaped
/// with a backslash (CommonMark lets any ASCII punctuation be escaped), so a renderer shows it
/// literally; control characters are then escaped by `PrintableText.safe`, whose `\x1B` forms
/// Markdown leaves as they are (a backslash before a letter is an ordinary character).
public enum MarkdownText {
    /// The characters escaped in running text: the backslash itself first (or `\<` would become
    /// an escaped backslash and a bare `<`), then HTML, links and images, code, emphasis,
    /// headings, table cells, strikethrough and entities.
    static let syntax: Set<Unicode.Scalar> = ["\\", "<", ">", "[", "]", "(", ")", "!", "`", "*", "_", "#", "|", "~", "&"]

    /// One line of running text (a table cell, a list item): every Markdown character escaped,
    /// line breaks turned into spaces, control characters escaped.
    public static func escaped(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                out.append(" ")
                continue
            }
            if syntax.contains(scalar) { out.append("\\") }
            out.append(scalar)
        }
        return PrintableText.safe(String(out))
    }

    /// An identifier as a code span, whose content Markdown never reads as syntax. The span is
    /// fenced by one backtick more than the longest run inside it, padded with spaces when the
    /// text begins or ends with a backtick (CommonMark strips one of each), and, in a table, has
    /// its `|` escaped (GFM splits cells before it reads code spans).
    public static func code(_ text: String, inTable: Bool) -> String {
        var content = PrintableText.safe(text)
        if inTable { content = content.replacingOccurrences(of: "|", with: "\\|") }
        var longest = 0
        var run = 0
        for character in content {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = content.hasPrefix("`") || content.hasSuffix("`") ? " " : ""
        return fence + pad + content + pad + fence
    }
}
