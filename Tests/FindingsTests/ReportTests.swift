import Foundation
import Testing
@testable import Findings

@Suite("Reports")
struct ReportTests {
    @Test func minReportersMustBeAtLeastOne() {
        let error = #expect(throws: FindingsError.self) { try Report.build(records: [], minReporters: 0) }
        #expect(error?.code == .invalidReportParameter)
        #expect(throws: FindingsError.self) { try Report.build(records: [], minReporters: -3) }
        #expect((try? Report.build(records: [], minReporters: 1)) != nil)
    }

    @Test func twoReportersAreSuppressed() throws {
        let records = [record("alice", caseload: 30), record("alice", caseload: 31), record("bob", caseload: 40)]
        let report = try Report.build(records: records)
        #expect(report.minReporters == 3)
        #expect(report.total.suppressed && report.total.statistics == nil)
        #expect(report.categories.map(\.key) == ["caseload_workload"])
        #expect(report.categories.allSatisfy { $0.suppressed && $0.statistics == nil })
        #expect(report.findings.allSatisfy { $0.suppressed })
        #expect(report.weeks.allSatisfy { $0.suppressed })
        for format in Report.Format.allCases {
            // Numbers as whole tokens: a chart's width of 340 pixels is not a caseload of 40.
            let numbers = report.render(format).split { !$0.isNumber && $0 != "." }
            #expect(!numbers.contains("40"), "\(format) shows a suppressed maximum")
        }
        #expect(report.render(.markdown).contains(Report.suppressedMark))
        #expect(report.render(.html).contains(Report.suppressedMark))
    }

    @Test func threeReportersAreShown() throws {
        let records = [record("alice", caseload: 30), record("bob", caseload: 40), record("carol", caseload: 35)]
        let report = try Report.build(records: records)
        let cell = try #require(report.categories.first)
        #expect(!cell.suppressed)
        let statistics = try #require(cell.statistics)
        #expect(statistics.records == 3 && statistics.reporters == 3)
        #expect(statistics.caseload == CaseloadSummary(records: 3, median: 35, p90: 39, maximum: 40))
        #expect(!report.total.suppressed)
    }

    @Test func aCategoryWithFewerReportersIsSuppressedBesideOneThatIsNot() throws {
        var records = ["a", "b", "c", "a"].map { record($0, caseload: 25) }
        records += ["a", "b", "c"].map { record($0, categories: [.recordingIT], findings: ["munro-2011-bureaucracy-heart-of-work-lost"]) }
        records.append(record("a", supervision: .cancelled, categories: [.supervision], findings: ["swtf-2009-supervision-squeezed-out"]))
        let report = try Report.build(records: records)
        func category(_ key: String) -> ReportCell? { report.categories.first { $0.key == key } }
        #expect(category("caseload_workload")?.suppressed == false)
        #expect(category("supervision")?.suppressed == true && category("supervision")?.secondary == false)
        // With only supervision hidden, total − the other categories would give it away: the
        // smallest other category is suppressed as well.
        #expect(category("recording_it")?.suppressed == true && category("recording_it")?.secondary == true)
        #expect(report.findings.first { $0.key == "swtf-2009-supervision-squeezed-out" }?.suppressed == true)
        #expect(report.total.statistics?.supervision.cancelled == 1)
    }

    @Test func percentilesOnKnownData() throws {
        let sorted = (1...10).map(Double.init)
        #expect(Report.percentile(sorted, 0.5) == 5.5)
        #expect(abs(Report.percentile(sorted, 0.9) - 9.1) < 1e-9)
        #expect(Report.percentile([7], 0.9) == 7)
        #expect(Report.percentile([10, 20], 0.5) == 15)

        let records = (1...10).map { record("r\($0 % 4)", caseload: $0 * 3) }   // 3, 6, …, 30 from 4 reporters
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.reporters == 4)
        #expect(statistics.caseload?.median == 16.5)
        #expect(abs((statistics.caseload?.p90 ?? 0) - 27.3) < 1e-9)
        #expect(statistics.caseload?.maximum == 30)
    }

    @Test func unpaidHoursAndSupervision() throws {
        let records = [
            record("a", worked: 45, paid: 37, supervision: .held),
            record("b", worked: 40.5, paid: 37, supervision: .cancelled),
            record("c", worked: 30, paid: 37, supervision: .cancelled),   // worked less than paid: 0 unpaid
            record("d", worked: 50, supervision: .notScheduled),           // no paid hours: not counted
        ]
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.unpaidHours == UnpaidHoursSummary(records: 3, total: 11.5, mean: 11.5 / 3))
        #expect(statistics.supervision == SupervisionSummary(held: 1, cancelled: 2, notScheduled: 1))
        #expect(statistics.caseload == nil)
    }

    @Test func weekByWeekTrendFillsGapsAndFiltersByDate() throws {
        var records: [EvidenceRecord] = []
        for reporter in ["a", "b", "c"] {
            records.append(record(reporter, week: "2026-W08", caseload: 20))
            records.append(record(reporter, week: "2026-W11", caseload: 30))
        }
        records.append(record("a", week: "2026-W12", caseload: 99))
        let report = try Report.build(records: records)
        #expect(report.weeks.map(\.key) == ["2026-W08", "2026-W09", "2026-W10", "2026-W11", "2026-W12"])
        // W12 has one reporter; W08 goes too (secondary), or total − W08 − W11 would be W12.
        #expect(report.weeks.map(\.suppressed) == [true, false, false, false, true])
        #expect(report.weeks.map(\.secondary) == [true, false, false, false, false])
        #expect(report.weeks[1].statistics?.records == 0)
        #expect(report.weeks[3].statistics?.caseload?.median == 30)

        let limited = try Report.build(records: records, since: try Report.parseDate("2026-03-09"), until: try Report.parseDate("2026-W11"))
        #expect(limited.weeks.map(\.key) == ["2026-W11"])
        #expect(limited.sinceWeek == "2026-W11" && limited.untilWeek == "2026-W11")
        #expect(throws: FindingsError.self) {
            try Report.build(records: records, since: try Report.parseDate("2026-04-01"), until: try Report.parseDate("2026-03-01"))
        }
        #expect(throws: FindingsError.self) { try Report.parseDate("2026-02-30") }
        #expect(throws: FindingsError.self) { try Report.parseDate("last week") }
    }

    @Test func recordsWithoutReporterCountAsOne() throws {
        let records = (1...5).map { _ in record("x", caseload: 10) }.map { record -> EvidenceRecord in
            var copy = record
            copy.reporter = nil
            return copy
        }
        #expect(try Report.build(records: records, minReporters: 2).total.suppressed)
    }

    static func sample() throws -> Report {
        var records: [EvidenceRecord] = []
        for (index, reporter) in ["a", "b", "c", "d"].enumerated() {
            records.append(record(reporter, week: "2026-W09", caseload: 20 + index, worked: 44, paid: 37, supervision: .cancelled))
            records.append(record(reporter, week: "2026-W10", caseload: 25 + index, categories: [.caseloadWorkload, .recordingIT],
                                  findings: ["ofsted-worcestershire-2017-caseloads", "munro-2011-bureaucracy-heart-of-work-lost"]))
        }
        records.append(record("a", week: "2026-W10", categories: [.blameCulture], findings: ["lga-birmingham-2014-blame-the-social-worker"]))
        return try Report.build(records: records)
    }

    @Test func htmlIsSelfContainedWithChartsAndCitations() throws {
        let html = try Self.sample().render(.html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("<rect"))
        #expect(html.contains("<path d=\"M"))
        for forbidden in ["<script", "<link", "<img", "src=", "@import", "url("] {
            #expect(!html.contains(forbidden), "HTML contains \(forbidden)")
        }
        for id in ["ofsted-worcestershire-2017-caseloads", "munro-2011-bureaucracy-heart-of-work-lost", "lga-birmingham-2014-blame-the-social-worker"] {
            let finding = try FindingsCatalog().show(id)
            #expect(html.contains("id=\"\(id)\""))
            #expect(html.contains(Report.htmlEscape(finding.quote)))
        }
        #expect(html.contains("communitycare.co.uk/2017/01/24"))
    }

    @Test func csvParsesBack() throws {
        let report = try Self.sample()
        let rows = try CSV.parse(report.render(.csv))
        let header = try #require(rows.first).fields
        #expect(header.first == "section" && header.contains("caseload_p90"))
        #expect(rows.allSatisfy { $0.fields.count == header.count })
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let total = try #require(rows.first { $0.fields[0] == "total" }).fields
        #expect(total[column["records"]!] == "9")
        #expect(total[column["reporters"]!] == "4")
        #expect(total[column["unpaid_hours_total"]!] == "28")
        let blame = try #require(rows.first { $0.fields[1] == "blame_culture" }).fields
        #expect(blame[column["suppressed"]!] == "1" && blame[column["records"]!] == "")
        let citations = rows.filter { $0.fields[0] == "citation" }
        #expect(citations.count == 3)
        #expect(citations.allSatisfy { !$0.fields[column["source"]!].isEmpty })
    }

    @Test func jsonAndMarkdownCarryTheSameReport() throws {
        let report = try Self.sample()
        let decoded = try JSONDecoder().decode(Report.self, from: Data(report.render(.json).utf8))
        #expect(decoded == report)
        let markdown = report.render(.markdown)
        #expect(markdown.contains("## By category"))
        #expect(markdown.contains("## Findings cited"))
        #expect(markdown.contains("`munro-2011-bureaucracy-heart-of-work-lost`"))
        #expect(markdown.contains("2026-W09"))
    }
}
