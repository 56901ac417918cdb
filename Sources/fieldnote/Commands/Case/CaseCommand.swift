import ArgumentParser

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Make and list case references.",
        discussion: """
            A case is a random token such as C-7K2Q-9XDM, never a name, date of birth or council \
            id, so a note can be shared without identifying anyone. You may give a case an alias \
            that only this device knows, and use it wherever a token is asked for.

            Examples:
              fieldnote case add --alias "the Smiths"
              fieldnote case list
              fieldnote case show "the Smiths"
            """,
        subcommands: [CaseAddCommand.self, CaseListCommand.self, CaseShowCommand.self])
}
