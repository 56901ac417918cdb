import ArgumentParser
import Storage
import SyncCore
import Transport

struct SpacesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the spaces: notes in each, and the peers granted each.",
        discussion: """
            A space granted to a peer but never made here (a grant given before space names were \
            checked) is listed as "not made here": make it with `fieldnote spaces add`, or grant \
            the peer its spaces again with `fieldnote peers add`.

            Examples:
              fieldnote spaces list
              fieldnote spaces list --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try storeOptions.withDevice { store, _, trust in
            let peers = try trust.peers()
            var rows = try store.spaceSummaries().map { SpaceRow(summary: $0, granted: []) }
            for peer in peers {
                for (space, access) in peer.sortedSpaces {
                    if !rows.contains(where: { $0.space == space }) { rows.append(SpaceRow(space: space)) }
                    let index = rows.firstIndex { $0.space == space }!
                    rows[index].granted.append((peer, access))
                }
            }
            rows.sort { $0.space < $1.space }
            if output.json {
                try JSONOutput.print(rows.map(\.json))
            } else {
                let style = Style.stdout
                var table = Table("SPACE", "NOTES", "IN BIN", "GRANTED TO")
                table.styles = [0: style.bold]
                for row in rows { table.add(row.space.name, row.notes, row.binned, row.grantedText) }
                print(table.render(style: style))
            }
        }
    }
}

/// One line of `spaces list`.
private struct SpaceRow {
    var space: SpaceID
    /// nil: granted to a peer but not a space of this store.
    var summary: SpaceSummary?
    var granted: [(peer: Peer, access: Access)]

    init(summary: SpaceSummary, granted: [(peer: Peer, access: Access)]) {
        self.space = summary.space
        self.summary = summary
        self.granted = granted
    }

    init(space: SpaceID) {
        self.space = space
        self.summary = nil
        self.granted = []
    }

    var notes: String { summary.map { String($0.notes) } ?? "-" }
    var binned: String { summary.map { String($0.binnedNotes) } ?? "-" }

    var grantedText: String {
        let names = granted.map { $0.access == .readOnly ? "\($0.peer.name) (read-only)" : $0.peer.name }
        let text = names.isEmpty ? "nobody" : names.joined(separator: ", ")
        return summary == nil ? "\(text) — not made here" : text
    }

    var json: [String: Any] {
        [
            "space": space.name,
            "origin": summary?.origin.rawValue ?? "not made here",
            "notes": summary?.notes ?? 0,
            "in_bin": summary?.binnedNotes ?? 0,
            "granted": granted.map { ["name": $0.peer.name, "device": $0.peer.device.description, "access": $0.access.rawValue] },
        ]
    }
}
