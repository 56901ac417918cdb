import ArgumentParser
import Foundation
import Transport

struct IDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "id",
        abstract: "Print this device's id, for colleagues to add with `peers add`.",
        discussion: """
            The id is the SHA-256 of this device's public key in eight groups of seven \
            characters (a renewed certificate keeps it); the last character of every second group is a check, so a mistyped id \
            is caught. The key and certificate are made on first use and kept in the store \
            directory (the key readable only by you). Read the id out to a colleague, or send it.

            Examples:
              fieldnote id
              fieldnote id --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try storeOptions.withDevice { store, identity, _ in
            if output.json {
                try JSONOutput.print([
                    "device": identity.id.description,
                    "short": identity.id.short,
                    "sha256": identity.id.hex,
                    "public_key": identity.publicKey.map { String(format: "%02x", $0) }.joined(),
                    "certificate": identity.certificateURL.path,
                    "store": store.location.directory.path,
                ])
            } else {
                print(identity.id.description)
            }
        }
    }
}
