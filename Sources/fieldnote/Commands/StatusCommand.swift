import ArgumentParser
import Foundation
import Storage

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the store: notes and evidence records per space, version vectors and an integrity check.",
        discussion: """
            Version vectors say, per space, how many changes from each device store this store \
            holds; two stores with equal vectors hold the same notes. A device listed as faulty \
            signed two different changes under one id; the second was refused. Exits 1 if \
            SQLite's integrity check finds a fault.

            Example:
              fieldnote status --json
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let status = try storeOptions.withStore { store in (try store.status(), try store.name(), try store.faultyReplicas()) }
        let (report, name, faulty) = status
        if output.json {
            try JSONOutput.print([
                "store": report.directory.path,
                "name": name.map { $0 as Any } ?? NSNull(),
                "replica": report.replica.hex,
                "pending_ops": report.pendingOps,
                "unindexed_notes": report.unindexedNotes,
                "integrity": report.integrity,
                "intact": report.isIntact,
                "faulty_replicas": faulty.map { entry in
                    ["space": entry.space.name, "replica": entry.replica.hex, "seq": entry.seq, "reported_by": entry.peer] as [String: Any]
                },
                "spaces": report.spaces.map { space in
                    [
                        "space": space.space.name,
                        "notes": space.notes,
                        "deleted_notes": space.deletedNotes,
                        "purged_notes": space.purgedNotes,
                        "cases": space.cases,
                        "evidence_records": space.evidence,
                        "withdrawn_evidence_records": space.withdrawnEvidence,
                        "ops": space.ops,
                        "vector": Dictionary(uniqueKeysWithValues: space.vector.entries.map { ($0.key.hex, $0.value) }),
                    ] as [String: Any]
                },
            ] as [String: Any])
        } else {
            let style = Style.stdout
            print(style.dim("store    ") + report.directory.path + (name.map { " (\($0))" } ?? ""))
            print(style.dim("replica  ") + report.replica.hex)
            print(style.dim("integrity ") + (report.isIntact ? "ok" : style.red(report.integrity.joined(separator: "; "))))
            if report.pendingOps > 0 { print(style.dim("waiting  ") + "\(Units.count(report.pendingOps)) ops wait for earlier ones to arrive") }
            if report.unindexedNotes > 0 {
                let waiting = report.unindexedNotes == 1
                    ? "1 note received from peers is not in the search index yet; the next search adds it"
                    : "\(Units.count(report.unindexedNotes)) notes received from peers are not in the search index yet; the next search adds them"
                print(style.dim("indexing ") + waiting)
            }
            for entry in faulty {
                print(style.dim("faulty   ") + style.red("replica \(entry.replica.hex) signed two different changes at \(entry.space.name) #\(entry.seq); the second was refused"))
            }
            print("")
            var table = Table("SPACE", "NOTES", "IN BIN", "PURGED", "CASES", "EVIDENCE", "OPS", "VERSION VECTOR")
            table.styles = [0: style.bold]
            for space in report.spaces {
                table.add(space.space.name, Units.count(space.notes), Units.count(space.deletedNotes), Units.count(space.purgedNotes),
                          Units.count(space.cases), Units.count(space.evidence), Units.count(space.ops), space.vector.description)
            }
            if report.spaces.isEmpty { print("no notes yet") } else { print(table.render(style: style)) }
        }
        if !report.isIntact {
            throw CommandFailure("the integrity check failed: \(report.integrity.prefix(3).joined(separator: "; "))")
        }
    }
}
