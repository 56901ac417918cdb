import ArgumentParser
import Foundation
import SyncCore
import Transport

struct PeersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the trusted devices and what each is granted.")

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try storeOptions.withDevice { _, _, trust in
            let peers = try trust.peers()
            if output.json {
                try JSONOutput.print(peers.map { peer in
                    [
                        "name": peer.name,
                        "device": peer.device.description,
                        "spaces": Dictionary(uniqueKeysWithValues: peer.sortedSpaces.map { ($0.space.name, $0.access.rawValue) }),
                        "added": Dates.iso8601(Date(timeIntervalSince1970: Double(peer.addedMillis) / 1000)),
                        "rep": peer.isRep,
                        "mine": peer.isMine,
                        "key_known": peer.publicKey != nil,
                    ] as [String: Any]
                })
                return
            }
            if peers.isEmpty {
                print("no trusted devices yet: `fieldnote peers add DEVICE-ID --name NAME`")
                return
            }
            let style = Style.stdout
            var table = Table("NAME", "SPACES", "DEVICE")
            table.styles = [0: style.bold]
            for peer in peers {
                let spaces = peer.sortedSpaces.map { $0.access == .readOnly ? "\($0.space.name) (read-only)" : $0.space.name }
                let role = peer.isRep ? (peer.publicKey == nil ? "; rep (not synced yet)" : "; rep") : peer.isMine ? "; yours" : ""
                table.add(peer.name, spaces.joined(separator: ", ") + role, peer.device.description)
            }
            // Device ids are printed whole, however narrow the terminal: people compare them. When
            // a row does not fit, each peer takes two lines, its id alone on the second.
            let nameWidth = ([table.headers[0]] + table.rows.map { $0[0] }).map(\.count).max()!
            let spacesWidth = ([table.headers[1]] + table.rows.map { $0[1] }).map(\.count).max()!
            let needed = nameWidth + 2 + spacesWidth + 2 + 63
            guard needed > Terminal.columns else {
                print(table.render(width: needed, style: style))
                return
            }
            print(table.rows.map { row in style.bold(row[0]) + "  " + row[1] + "\n    " + row[2] }.joined(separator: "\n"))
        }
    }
}
