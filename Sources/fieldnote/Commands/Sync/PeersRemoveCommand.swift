import ArgumentParser
import Foundation
import SyncCore
import Transport

struct PeersRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Stop trusting a device.",
        discussion: """
            A running `fieldnote serve` refuses the device from its next connection or batch. \
            Notes already synced stay on both devices, and what the device writes still reaches \
            this one through colleagues who sync with it. To keep its changes out of what this \
            device shows, whoever passes them on, grant it read-only instead \
            (`peers add ID --name N --spaces … --read-only`).

            Example:
              fieldnote peers rm Ben
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The device's id or its name here.", valueName: "id-or-name"))
    var peer: String

    func run() throws {
        try storeOptions.withDevice { store, _, trust in
            let found = try trust.resolve(peer)
            try trust.remove(found.device)
            try trust.applyGrantChange(of: found.device, from: found, to: nil, in: store)
            print("removed \(found.name) (\(found.device.short))")
        }
    }
}
