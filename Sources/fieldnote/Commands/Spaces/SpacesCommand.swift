import ArgumentParser

struct SpacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spaces",
        abstract: "Make spaces and see what is in each, and who is granted it.",
        discussion: """
            A space is a set of notes synced on its own: a peer receives a space only if both \
            devices grant it. team and evidence always exist; any other space exists once it is \
            made here with `spaces add`, or once a trusted peer has synced notes in it. A space \
            name that does not exist is refused wherever it is typed (add, list, peers add, \
            sync), so a typo never writes notes nobody syncs.

            Examples:
              fieldnote spaces add family-court
              fieldnote peers add MFZWI3D-… --name Ben --spaces team,family-court
              fieldnote add "Hearing moved to Friday" --space family-court
              fieldnote spaces list
            """,
        subcommands: [SpacesListCommand.self, SpacesAddCommand.self],
        defaultSubcommand: SpacesListCommand.self)
}
