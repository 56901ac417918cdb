import Findings

/// Text from any device, as the client prints it for people (see `PrintableText`).
enum TerminalText {
    static func safe(_ text: String, multiline: Bool = false) -> String {
        PrintableText.safe(text, multiline: multiline)
    }
}
