import ArgumentParser

struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "See the evidence records you shared, or every one this device holds.",
        discussion: """
            `share` writes an evidence record; `evidence list` shows the ones this device \
            shared (week, figures, categories, findings, excerpt), and `unshare ID` withdraws \
            one from every device it reached. A rep's device holds everyone's records: \
            `evidence list --received` shows them all, with no word of who shared which.

            Examples:
              fieldnote evidence list
              fieldnote evidence list --received --json
              fieldnote unshare 3f9a0c2e
            """,
        subcommands: [EvidenceListCommand.self],
        defaultSubcommand: EvidenceListCommand.self)
}
