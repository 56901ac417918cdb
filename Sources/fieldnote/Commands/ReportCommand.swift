import ArgumentParser
import Findings
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report on the shared evidence: per category, per finding and per month, every figure from at least 3 people.",
        discussion: """
            Reads the evidence space (records shared with `fieldnote share` on this device and \
            synced from others), one record per person per week (a week shared again replaces \
            the earlier record), and gives, over whole calendar months: people and records; \
            caseload in children, median, and the 90th percentile from 10 people or more (never a \
            maximum: it is one person's figure), and families apart; caseload per full-time \
            equivalent (caseload × 37 ÷ paid hours, the NJC Green Book's full-time week, so a \
            part-time caseload is scaled up as the DfE workforce census counts per FTE), set beside \
            the census's national averages of each verified year (2019 and 2020), each quoted and \
            sourced; unpaid hours (worked − paid) \
            and, beside them, hours taken back in lieu; supervision held and cancelled, minutes, \
            and against the LGA standard (last supervision within about a month; sessions \
            uninterrupted and 90 minutes or more; newly qualified workers apart when they and the \
            others are enough people); time recording; weeks without a lunch break; who intends \
            to leave, among those who chose to say; month by month. The method statement defines \
            every figure, in every format. A figure is drawn only from months where at least --min-reporters \
            people gave it; the rest is held back and says so, and so is anything that would let \
            a held-back figure be worked out from a total (secondary suppression). --since and \
            --until widen to whole months, so two reports never differ by a held-back figure. \
            Every finding is cited with its source. HTML is one self-contained file with inline \
            SVG charts.

            Examples:
              fieldnote report
              fieldnote report --since 2026-01-01 --out report.html   # HTML, from the name
              fieldnote report --since 2026-09 --until 2026-11 --format csv
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("From the month holding this date (\(DateArgument.forms)).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Up to the month holding this date, included.", valueName: "date"))
    var until: String?

    @OptionGroup var pager: PagerOptions

    @Option(help: ArgumentHelp("The output format (default: from --out's extension, else md).", valueName: "format"))
    var format: Report.Format?

    @Option(name: .customLong("min-reporters"), help: ArgumentHelp("Hold back any figure given by fewer people than this in a month (3 or more).", valueName: "n"))
    var minReporters: Int = 3

    @Option(help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "file"))
    var out: String?

    func validate() throws {
        guard let out, let format, let named = Report.Format(fileName: out), named != format else { return }
        throw ValidationError("--format \(format.rawValue) clashes with --out \(out), whose name says \(named.rawValue): change one of them")
    }

    /// The format asked for, else the one --out's name says, else Markdown.
    var resolvedFormat: Report.Format {
        format ?? out.flatMap(Report.Format.init(fileName:)) ?? .markdown
    }

    /// A date in any form the client prints, as an instant inside the week it falls in: the
    /// middle of the span it names, so that a local day or week lands in the same ISO week in UTC.
    static func week(_ text: String) throws(FindingsError) -> Date {
        guard let date = DateArgument(argument: text) else { return try Report.parseDate(text) }
        return date.start.addingTimeInterval(date.end.timeIntervalSince(date.start) / 2)
    }

    func run() throws {
        let format = resolvedFormat
        // Every parameter is checked before the store is opened, so a refused report touches nothing.
        let (sinceDate, untilDate) = try FindingsFailure.map { () throws(FindingsError) in
            let dates = (try since.map(ReportCommand.week), try until.map(ReportCommand.week))
            _ = try Report.build(records: [], since: dates.0, until: dates.1, minReporters: minReporters)
            return dates
        }
        var isDirectory: ObjCBool = false
        if let out, FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CommandFailure("--out \(out) is a directory; give a file name", status: .invalidValue)
        }
        let (text, unreadable) = try storeOptions.withEvidence { context in
            let catalog = try context.store.findingsCatalog()
            return try FindingsFailure.map { () throws(FindingsError) in
                let evidence = try context.adapter.evidence()
                return (try Report.build(records: evidence.records, refused: evidence.refused, since: sinceDate, until: untilDate,
                                         minReporters: minReporters, catalog: catalog).render(format), evidence.unreadable)
            }
        }
        if unreadable > 0 {
            Terminal.note("\(unreadable) evidence record\(unreadable == 1 ? " is" : "s are") sealed for other reps and not in this report")
        }
        guard let out else {
            pager.start()
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CommandFailure("cannot write the report to \(out): \((error as NSError).localizedDescription)")
        }
        Terminal.note("wrote the \(format.rawValue) report to \(out)")
    }
}
