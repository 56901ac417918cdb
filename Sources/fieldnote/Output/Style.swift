/// ANSI styling that turns itself off when output is not a terminal or `NO_COLOR` is set.
struct Style: Sendable {
    var enabled: Bool

    static let stdout = Style(enabled: Terminal.wantsStyle(on: 1))
    static let stderr = Style(enabled: Terminal.wantsStyle(on: 2))

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func yellow(_ text: String) -> String { wrap(text, "33") }

    /// The marks put around search matches: bold on a terminal, `[` `]` otherwise.
    var highlight: (open: String, close: String) { enabled ? ("\u{1B}[1m", "\u{1B}[22m") : ("[", "]") }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
