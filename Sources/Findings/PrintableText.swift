/// Text from any device made safe to print: on a terminal, or in a Markdown or CSV report that
/// will be shown on one.
///
/// A note, a tag, a field value, a peer's name or a finding's title may have been written on a
/// colleague's device, buggy or hostile. Written raw, `ESC ] 0 ; … BEL` retitles the window,
/// `ESC [ 2 J` clears the screen, and U+202E reverses the text that follows, so an id or a figure
/// reads differently from what it is. Every such character is shown escaped instead, in a form
/// that cannot be mistaken for ordinary text (`\x1B`, `\u{202E}`). JSON output stays exact: only
/// what is printed for people goes through here.
public enum PrintableText {
    /// `text` with every control character, escape and bidirectional control escaped; newlines
    /// and tabs are kept when `multiline` (a note's body), escaped otherwise (a table cell).
    public static func safe(_ text: String, multiline: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, multiline: multiline) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, multiline: multiline) {
                out.append(contentsOf: escaped(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether a scalar must not reach a terminal as it is.
    public static func needsEscape(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !multiline
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true  // C0, DEL, C1 (0x9B is an 8-bit CSI)
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidirectional controls
        case 0x2028, 0x2029: return true  // line and paragraph separators
        default: return false
        }
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        if scalar.value <= 0xFF { return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
        return "\\u{\(hex)}"
    }
}
