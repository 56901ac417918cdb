import ArgumentParser
import Foundation
import SyncCore
import Transport

struct PeersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: "Trust colleagues' devices, and say which spaces each may sync.",
        discussion: """
            Only devices in this list can connect to `fieldnote serve` or be synced with; any \
            other device is refused during the TLS handshake. The list stays on this device. \
            Both sides must add each other; a space is synced only if both grant it.

            Examples:
              fieldnote peers add MFZWI3D-BONSGYC-… --name Ben --spaces team,evidence
              fieldnote peers add NB2HI4D-… --name Rosa --spaces evidence --rep
              fieldnote peers add OBQXG43-… --name "my phone" --spaces team,evidence --mine
              fieldnote peers list
              fieldnote peers rm Ben
            """,
        subcommands: [PeersAddCommand.self, PeersListCommand.self, PeersRemoveCommand.self])
}
