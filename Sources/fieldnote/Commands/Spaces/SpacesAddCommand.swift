import ArgumentParser
import SyncCore

struct SpacesAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Make a space on this device.",
        discussion: """
            Names are 1–32 of a-z 0-9 - _, starting with a letter. Making a space shares \
            nothing: grant it to a peer with `fieldnote peers add`, listing every space the peer \
            should have (the list replaces the previous one), and the peer must make and grant \
            it too.

            Example:
              fieldnote spaces add family-court
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The new space's name.", valueName: "name"))
    var name: String

    func run() throws {
        let space = try SpaceID(name)
        try storeOptions.withStore { store in
            guard try store.makeSpace(space) else {
                print("space \(space.name) exists already")
                return
            }
            print("made space \(space.name); to share it: `fieldnote peers add DEVICE-ID --name NAME --spaces team,\(space.name)`")
        }
    }
}
