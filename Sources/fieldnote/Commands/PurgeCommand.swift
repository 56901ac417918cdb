import ArgumentParser
import Storage
import SyncCore

struct PurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Erase a note's content for good, here and on every device it syncs to.",
        discussion: """
            The text, fields, tags, links and case of the note are erased from this store, and the \
            erasure travels with the next sync so that no copy survives on a colleague's device. \
            Only the id remains. This cannot be undone. Notes in the bin can be purged too \
            (`fieldnote list --bin` shows their ids). Asks first on a terminal; without a \
            terminal, pass --yes. Evidence shared from the note stays shared unless you say \
            so (asked on a terminal, or --withdraw-evidence).

            Examples:
              fieldnote purge 7c2e91f4
              fieldnote purge 7c2e91f4 --yes --withdraw-evidence
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "id"))
    var id: String

    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Do not ask for confirmation.")
    var yes = false

    @Flag(help: "Also withdraw the evidence records shared from the note (asked on a terminal otherwise).")
    var withdrawEvidence = false

    /// Which of the records shared from the note to withdraw: all with --withdraw-evidence;
    /// else, on a terminal and asking, those the person says yes to; else none.
    static func withdrawing(_ shared: [EntityID], store: Store, asked: Bool, flag: Bool) throws -> [EntityID] {
        guard !shared.isEmpty else { return [] }
        if flag { return shared }
        guard asked, Terminal.isTerminal(0) else { return [] }
        let ids = try shared.map { try store.shortID($0) }.joined(separator: ", ")
        let count = shared.count == 1 ? "the evidence record" : "the \(shared.count) evidence records"
        return Terminal.confirm("Also withdraw \(count) shared from it (\(ids)) from every device?") ? shared : []
    }

    func run() throws {
        try storeOptions.withNote(id) { store, note, short in
            if note.purged {
                print("\(short) was purged already")
                return
            }
            if !yes {
                guard Terminal.isTerminal(0) else {
                    throw CommandFailure("not purging \(short) without confirmation: stdin is not a terminal, so pass --yes")
                }
                let preview = Text.truncated(Text.firstLine(note.text), to: 50)
                let binned = note.deleted ? ", in the bin," : ""
                guard Terminal.confirm("Erase note \(short) (\"\(preview)\")\(binned) on every device? This cannot be undone.") else {
                    throw CommandFailure("\(short) was not purged")
                }
            }
            let shared = try store.evidenceShared(from: note.id)
            let withdraw = try PurgeCommand.withdrawing(shared, store: store, asked: !yes, flag: withdrawEvidence)
            if !withdraw.isEmpty { try EvidenceContext.open(store, sharing: false).withdraw(withdraw) }
            let kept = try shared.filter { !withdraw.contains($0) }.map { try store.shortID($0) }
            try store.purge(note: note.id)
            print("purged \(short)" + (withdraw.isEmpty ? "" : "; withdrew the evidence shared from it (\(try withdraw.map { try store.shortID($0) }.joined(separator: ", ")))"))
            if !kept.isEmpty {
                Terminal.note("the evidence shared from it stays shared (\(kept.joined(separator: ", "))); `fieldnote unshare ID` withdraws a record")
            }
        }
    }
}
