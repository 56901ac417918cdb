import ArgumentParser
import Foundation
import SyncCore
import Transport

struct PeersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the trusted devices, what each is granted, and the last sync with each.",
        discussion: """
            LAST SYNC says when a sync this device started last succeeded with the peer, and at \
            which address: the one `fieldnote sync NAME` goes to. A sync the peer started does \
            not count, as a server does not learn where its client listens. --json gives \
            last_sync (ISO 8601, UTC) and last_address, null before the first.

            Examples:
              fieldnote peers list
              fieldnote peers list --json
            """)

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
                    ].merging(peer.lastSyncJSON) { first, _ in first } as [String: Any]
                })
                return
            }
            if peers.isEmpty {
                print("no trusted devices yet: `fieldnote peers add DEVICE-ID --name NAME`")
                return
            }
            let style = Style.stdout
            var table = Table("NAME", "SPACES", "LAST SYNC", "DEVICE")
            table.styles = [0: style.bold]
            for peer in peers {
                let spaces = peer.sortedSpaces.map { $0.access == .readOnly ? "\($0.space.name) (read-only)" : $0.space.name }
                let role = peer.isRep ? (peer.publicKey == nil ? "; rep (not synced yet)" : "; rep") : peer.isMine ? "; yours" : ""
                table.add(peer.name, spaces.joined(separator: ", ") + role, peer.lastSyncText(), peer.device.description)
            }
            // Device ids are printed whole, however narrow the terminal: people compare them. When
            // a row does not fit, each peer takes three lines: its id alone on the second, its
            // last sync on the third.
            let widths = (0..<3).map { column in ([table.headers[column]] + table.rows.map { $0[column] }).map(\.count).max()! }
            let needed = widths.reduce(0) { $0 + $1 + 2 } + 63
            guard needed > Terminal.columns else {
                print(table.render(width: needed, style: style))
                return
            }
            print(table.rows.map { row in
                style.bold(row[0]) + "  " + row[1] + "\n    " + row[3] + "\n    " + style.dim("last sync ") + row[2]
            }.joined(separator: "\n"))
        }
    }
}
