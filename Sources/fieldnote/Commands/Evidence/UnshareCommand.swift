import ArgumentParser
import Findings
import Storage
import SyncCore

struct UnshareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unshare",
        abstract: "Withdraw an evidence record you shared, from every device it reached.",
        discussion: """
            The record is erased here at once and, like a purged note, on every device the \
            withdrawal reaches when they sync — the rep's included. Only the device that shared \
            a record can withdraw it. `fieldnote evidence list` shows the ids. Asks first on a \
            terminal; without a terminal, pass --yes.

            Examples:
              fieldnote unshare 3f9a0c2e
              fieldnote unshare 3f9a0c2e --yes
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The record's id as `evidence list` shows it, or the full id.", valueName: "record"))
    var record: String

    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Do not ask for confirmation.")
    var yes = false

    func run() throws {
        try storeOptions.withEvidence { context in
            let store = context.store
            let id: EntityID
            do { id = try store.resolve(prefix: record, kind: .evidence) } catch let error as StoreError where error.code == .unknownID {
                throw CommandFailure("no evidence record with id \(record) here", hint: "`fieldnote evidence list` shows the records shared here",
                                     status: .notFound)
            }
            let short = try store.shortID(id)
            let state = try store.evidenceState(id)
            guard try store.evidenceSeed(id) != nil || state?.withdrawn == true || state?.author == store.replica else {
                throw CommandFailure("evidence record \(short) was shared from another device; only that device can withdraw it",
                                     hint: "`fieldnote evidence list` shows the records shared here", status: .refused)
            }
            if state?.withdrawn == true {
                print("\(short) was withdrawn already")
                return
            }
            let (entries, _, _) = try FindingsFailure.map { () throws(FindingsError) in
                try context.adapter.evidenceEntries(sharedHere: true)
            }
            let entry = entries.first { $0.id == id }
            if !yes {
                guard Terminal.isTerminal(0) else {
                    throw CommandFailure("not withdrawing \(short) without confirmation: stdin is not a terminal, so pass --yes")
                }
                let summary = entry.map { "\(EvidenceListCommand.week($0.record.week)): \(EvidenceListCommand.figures($0.record.metrics))" } ?? "unreadable"
                guard Terminal.confirm("Withdraw evidence record \(short) (\(summary)) from every device? This cannot be undone.") else {
                    throw CommandFailure("\(short) was not withdrawn")
                }
            }
            try context.withdraw([id])
            print("withdrew evidence record \(short): erased here, and on each device it reached when that device next syncs")
        }
    }
}
