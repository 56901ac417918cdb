import ArgumentParser
import Findings
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report on the shared evidence: per category, per finding and per week, with small numbers suppressed.",
        discussion: """
            Reads the evidence space (records shared with `fieldnote share` on this device and \
            synced from others) and counts records and distinct reporters; caseload median, 90th \
            percentile and maximum; unpaid hours (worked − paid); supervision held and \
            cancelled; week by week. Every cell drawn from fewer than --min-reporters distinct \
            reporters is suppressed and marked, and so is any cell that would give a suppressed \
            one away through its total (secondary suppression). Every finding is cited with its \
            source. HTML is one self-contained file with inline SVG charts.

            Examples:
              fieldnote report
              fieldnote report --since 2026-01-01 --out report.html   # HTML, from the name
              fieldnote report --since 2026-W02 --until 2026-W10 --format csv
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("Only weeks from the one holding this date (\(DateArgument.forms)).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only weeks up to the one holding this date, included.", valueName: "date"))
    var until: String?

    @OptionGroup var pager: PagerOptions

    @Option(help: ArgumentHelp("The output format (default: from --out's extension, else md).", valueName: "format"))
    var format: Report.Format?

    @Option(name: .customLong("min-reporters"), help: ArgumentHelp("Suppress cells from fewer distinct reporters than this.", valueName: "n"))
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
        let text = try storeOptions.withStore { store in
            let catalog = try store.findingsCatalog()
            return try FindingsFailure.map { () throws(FindingsError) in
                let evidence = try store.findingsAdapter.evidence()
                return try Report.build(records: evidence.records, refused: evidence.refused, since: sinceDate, until: untilDate,
                                        minReporters: minReporters, catalog: catalog).render(format)
            }
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
