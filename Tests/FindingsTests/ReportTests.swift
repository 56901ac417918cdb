import Foundation
import Testing
@testable import Findings

@Suite("Reports")
struct ReportTests {
    @Test func minReportersMustBeAtLeastThree() {
        for refused in [-3, 0, 1, 2] {
            let error = #expect(throws: FindingsError.self) { try Report.build(records: [], minReporters: refused) }
            #expect(error?.code == .invalidReportParameter)
            #expect(error?.message.contains("at least 3") == true)
        }
        #expect((try? Report.build(records: [], minReporters: 3)) != nil)
        #expect((try? Report.build(records: [], minReporters: 5)) != nil)
    }

    @Test func twoReportersAreHeldBack() throws {
        let records = [record("alice", caseload: 33), record("alice", week: "2026-W11", caseload: 34), record("bob", caseload: 40)]
        let report = try Report.build(records: records)
        #expect(report.minReporters == 3)
        #expect(report.total.suppressed && report.total.statistics == nil)
        #expect(report.categories.map(\.key) == ["caseload_workload"])
        #expect(report.categories.allSatisfy { $0.suppressed && $0.statistics == nil })
        #expect(report.findings.allSatisfy { $0.suppressed })
        #expect(report.months.allSatisfy { $0.suppressed })
        for format in Report.Format.allCases {
            // Numbers as whole tokens: a chart's width of 340 pixels is not a caseload of 40.
            let numbers = report.render(format).split { !$0.isNumber && $0 != "." }
            #expect(!numbers.contains("40") && !numbers.contains("33"), "\(format) shows a held-back caseload")
        }
        #expect(report.render(.markdown).contains("held back: fewer than 3 people"))
        #expect(report.render(.html).contains("held back"))
    }

    @Test func threePeopleAreShownWithoutAMaximumOrAPercentile() throws {
        let records = [record("alice", caseload: 30), record("bob", caseload: 40), record("carol", caseload: 35)]
        let report = try Report.build(records: records)
        let cell = try #require(report.categories.first)
        #expect(!cell.suppressed)
        let statistics = try #require(cell.statistics)
        #expect(statistics.records == 3 && statistics.reporters == 3)
        #expect(statistics.caseload == CaseloadSummary(records: 3, reporters: 3, median: 35, p90: nil))
        #expect(!report.total.suppressed)
        for format in [Report.Format.markdown, .csv, .json] {
            let numbers = report.render(format).split { !$0.isNumber && $0 != "." }
            #expect(!numbers.contains("40"), "\(format) shows the greatest caseload, which is one person's")
        }
        #expect(!report.render(.html).contains("<td>40</td>"))
    }

    /// The leak: a row from three people where only one gave unpaid hours showed that
    /// person's hours ("8 / 8"). Each figure now needs its own three people: her paid hours make
    /// her the only one with a caseload per FTE, so that is held back too.
    @Test func aFigureGivenByOnePersonInARowOfThreeIsHeldBack() throws {
        let records = [record("alice", caseload: 30, worked: 45, paid: 37), record("bob", caseload: 40), record("carol", caseload: 35)]
        let report = try Report.build(records: records)
        let statistics = try #require(report.total.statistics)
        #expect(statistics.reporters == 3 && statistics.caseload?.median == 35)
        #expect(statistics.unpaidHours == nil)
        #expect(statistics.heldBack == ["caseload_fte", "unpaid_hours"])
        #expect(statistics.supervision == nil)
        for format in [Report.Format.markdown, .csv, .json] {
            let numbers = report.render(format).split { !$0.isNumber && $0 != "." }
            #expect(!numbers.contains("8"), "\(format) shows one person's unpaid hours")
        }
        #expect(!report.render(.html).contains("<td>8</td>") && report.render(.html).contains("<td class=\"suppressed\">held back</td>"))
        #expect(report.render(.markdown).contains("| 3 | 3 | 35 | – | held back | held back | held back | held back | – | – |"))
    }

    @Test func percentilesOnKnownData() throws {
        let sorted = (1...10).map(Double.init)
        #expect(Report.percentile(sorted, 0.5) == 5.5)
        #expect(abs(Report.percentile(sorted, 0.9) - 9.1) < 1e-9)
        #expect(Report.percentile([7], 0.9) == 7)
        #expect(Report.percentile([10, 20], 0.5) == 15)

        // 3, 6, …, 30 from ten people: the 90th percentile is shown; from nine it is not.
        let records = (1...10).map { record("r\($0)", caseload: $0 * 3) }
        let caseload = try #require(try Report.build(records: records).total.statistics?.caseload)
        #expect(caseload.reporters == 10 && caseload.median == 16.5)
        #expect(abs((caseload.p90 ?? 0) - 27.3) < 1e-9)
        #expect(try Report.build(records: Array(records.prefix(9))).total.statistics?.caseload?.p90 == nil)
    }

    @Test func unpaidHoursAndSupervision() throws {
        let records = [
            record("a", worked: 45, paid: 37, supervision: .held),
            record("b", worked: 40.5, paid: 37, supervision: .cancelled),
            record("c", worked: 30, paid: 37, supervision: .cancelled),   // worked less than paid: 0 unpaid
            record("d", worked: 50, supervision: .notScheduled),           // no paid hours: not counted
        ]
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.unpaidHours == UnpaidHoursSummary(records: 3, reporters: 3, total: 11.5, mean: 11.5 / 3))
        #expect(statistics.supervision == SupervisionSummary(records: 4, reporters: 4, held: 1, cancelled: 2, notScheduled: 1))
        #expect(statistics.caseload == nil && statistics.heldBack.isEmpty)
    }

    /// Every figure a record carries is used: recording against direct work (BASW's 80-20),
    /// supervision minutes and the team's unallocated cases, each from three people or held back.
    @Test func everyCollectedFigureIsUsedAndTheHeadlineSaysItPlainly() throws {
        var records: [EvidenceRecord] = []
        for (index, reporter) in ["a", "b", "c"].enumerated() {
            var shared = record(reporter, caseload: 28 + index, supervision: index == 0 ? .held : .cancelled)
            shared.metrics.hoursRecording = 24
            shared.metrics.hoursDirect = 8
            shared.metrics.supervisionMinutes = 30 + 15 * index
            shared.metrics.unallocatedCases = index < 2 ? 12 : nil
            records.append(shared)
        }
        let report = try Report.build(records: records)
        let statistics = try #require(report.total.statistics)
        #expect(statistics.recording == RecordingSummary(records: 3, reporters: 3, recordingHours: 72, directHours: 24, recordingShare: 0.75))
        #expect(statistics.supervisionMinutes == MedianSummary(records: 3, reporters: 3, median: 45))
        #expect(statistics.unallocatedCases == nil && statistics.heldBack == ["unallocated_cases"], "two people's team count")
        let markdown = report.render(.markdown)
        #expect(markdown.contains("| 75 % |") && markdown.contains("| 45 |"))
        #expect(report.headline.hasPrefix("3 people shared 3 weekly records"))
        #expect(report.headline.contains("median caseload was 29"))
        #expect(report.headline.contains("cancelled in 2 of 3 weeks"))
        #expect(report.headline.contains("Recording took 75 %"))
        #expect(report.headline.contains("held back"))
        #expect(!report.headline.contains("12"), "the held-back unallocated count")
        #expect(try Report.build(records: Array(records.prefix(2))).headline.hasPrefix("No figures can be shown yet"))
    }

    /// National figures stand beside the report's own in every format, each with its words as
    /// seen and its source; every DfE sentence is one the findings catalog verified, with the
    /// catalog's source and the place its words were seen.
    @Test func nationalBenchmarksStandBesideTheFigures() throws {
        let report = try Self.sample()
        let catalog = try FindingsCatalog()
        for benchmark in Benchmark.national where benchmark.figure == "caseload_fte" {
            let finding = try #require(catalog.findings.first { $0.quote == benchmark.quote }, "the benchmark quotes a verified finding's words")
            #expect(benchmark.source == finding.source && benchmark.verifiedIn == finding.verifiedIn)
            #expect(benchmark.quote.contains(Report.number(benchmark.value)))
        }
        let markdown = report.render(.markdown)
        #expect(markdown.contains("## Beside national figures"))
        #expect(markdown.contains("Median caseload per FTE here (children, scaled to a 37-hour week): 21.5. Nationally: 16.3"), "\(markdown)")
        #expect(markdown.contains("Median supervision here, in minutes: not shown (nobody gave it)"))
        let rows = try CSV.parse(report.render(.csv))
        let header = try #require(rows.first).fields
        let row = try #require(rows.first { $0.fields[0] == "benchmark" && $0.fields[2].contains("2020") }).fields
        #expect(row[1] == "caseload_fte" && row[header.firstIndex(of: "caseload_fte_median")!] == "16.3")
        #expect(row[header.firstIndex(of: "caseload_median")!] == "", "the census average is per FTE, not beside the raw caseload")
        #expect(row[header.firstIndex(of: "source")!].contains("explore-education-statistics.service.gov.uk"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        #expect((json["benchmarks"] as? [[String: Any]])?.count == Benchmark.national.count)
        #expect(report.render(.html).contains("Beside national figures"))
    }

    /// Excerpts members chose to share are quoted under their category, only where the category
    /// was shown for that month (three people or more), in words order, never a lone person's.
    @Test func excerptsAreQuotedOnlyFromCategoriesOfThreePeople() throws {
        var records = ["a", "b", "c"].map { record($0, caseload: 30) }
        records[1].excerpt = "Caseload over 30 for the third month."
        var lone = record("d", week: "2026-W06", categories: [.frontDoor], findings: ["birmingham-scrutiny-2009-referrals-screened-by-inexperienced-staff"])
        lone.excerpt = "=cmd|' /C calc'!A0 screened alone on duty"
        records.append(lone)
        let report = try Report.build(records: records)
        #expect(report.quotes == [ReportQuote(category: "caseload_workload", text: "Caseload over 30 for the third month.")])
        for format in Report.Format.allCases {
            let text = report.render(format)
            #expect(text.contains("Caseload over 30 for the third month."), "\(format)")
            #expect(!text.contains("screened alone"), "\(format) quotes a lone person's excerpt")
        }
        #expect(report.render(.markdown).contains("## In members' words"))
    }

    /// Sharing a week again replaces the earlier record: one person's week counts once, with its
    /// latest figures, however often it was shared.
    @Test func onePersonsWeekCountsOnce() throws {
        var records = (0..<4).map { record("alice", caseload: 90 + $0) }
        records += [record("bob", caseload: 30), record("carol", caseload: 32)]
        let report = try Report.build(records: records)
        let statistics = try #require(report.total.statistics)
        #expect(statistics.records == 3 && statistics.reporters == 3)
        #expect(statistics.caseload?.median == 32)
        #expect(report.replacedRecords == 3)
        // Alice's last share counts: 93 is above the median of 30, 32, 93.
        let lower = try Report.build(records: records + [record("alice", caseload: 10)])
        #expect(lower.total.statistics?.caseload?.median == 30)
    }

    @Test func monthByMonthFillsGapsAndWidensWindowsToWholeMonths() throws {
        var records: [EvidenceRecord] = []
        for reporter in ["a", "b", "c"] {
            records.append(record(reporter, week: "2026-W02", caseload: 20))   // January
            records.append(record(reporter, week: "2026-W14", caseload: 30))   // April (Thursday 2 April)
        }
        records.append(record("a", week: "2026-W19", caseload: 99))            // May, one person
        let report = try Report.build(records: records)
        #expect(report.months.map(\.key) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"])
        #expect(report.months.map(\.label) == ["January 2026", "February 2026", "March 2026", "April 2026", "May 2026"])
        #expect(report.months.map(\.suppressed) == [false, false, false, false, true])
        #expect(report.months[1].statistics?.records == 0)
        #expect(report.months[3].statistics?.caseload?.median == 30)
        // May's record takes part in no figure: the total is January and April.
        #expect(report.total.statistics?.records == 6)
        #expect(!report.render(.csv).split { !$0.isNumber }.contains("99"))

        let limited = try Report.build(records: records, since: try Report.parseDate("2026-04-30"), until: try Report.parseDate("2026-W14"))
        #expect(limited.months.map(\.key) == ["2026-04"])
        #expect(limited.sinceMonth == "2026-04" && limited.untilMonth == "2026-04")
        #expect(try Report.build(records: records, since: try Report.parseDate("2026-03")).months.map(\.key) == ["2026-04", "2026-05"])
        #expect(throws: FindingsError.self) {
            try Report.build(records: records, since: try Report.parseDate("2026-04-01"), until: try Report.parseDate("2026-03-01"))
        }
        #expect(throws: FindingsError.self) { try Report.parseDate("2026-02-30") }
        #expect(throws: FindingsError.self) { try Report.parseDate("2026-13") }
        #expect(throws: FindingsError.self) { try Report.parseDate("last week") }
    }

    @Test func recordsWithoutReporterCountAsOne() throws {
        let records = (10...14).map { record("x", week: "2026-W\($0)", caseload: 10) }.map { record -> EvidenceRecord in
            var copy = record
            copy.reporter = nil
            return copy
        }
        #expect(try Report.build(records: records).total.suppressed)
    }

    static func sample() throws -> Report {
        var records: [EvidenceRecord] = []
        for (index, reporter) in ["a", "b", "c", "d"].enumerated() {
            records.append(record(reporter, week: "2026-W09", caseload: 20 + index, worked: 44, paid: 37, supervision: .cancelled))
            records.append(record(reporter, week: "2026-W10", caseload: 25 + index, categories: [.caseloadWorkload, .recordingIT],
                                  findings: ["ofsted-worcestershire-2017-caseloads", "munro-2011-bureaucracy-heart-of-work-lost"]))
        }
        records.append(record("a", week: "2026-W11", categories: [.blameCulture], findings: ["lga-birmingham-2014-blame-the-social-worker"]))
        return try Report.build(records: records)
    }

    @Test func htmlIsSelfContainedWithChartsAndCitations() throws {
        let html = try Self.sample().render(.html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("<rect"))
        #expect(html.contains("<circle"))
        for forbidden in ["<script", "<link", "<img", "src=", "@import", "url(", "NaN"] {
            #expect(!html.contains(forbidden), "HTML contains \(forbidden)")
        }
        for id in ["ofsted-worcestershire-2017-caseloads", "munro-2011-bureaucracy-heart-of-work-lost", "lga-birmingham-2014-blame-the-social-worker"] {
            let finding = try FindingsCatalog().show(id)
            #expect(html.contains("id=\"\(id)\""))
            #expect(html.contains(Report.htmlEscape(finding.quote)))
        }
        #expect(html.contains("communitycare.co.uk/2017/01/24"))
        #expect(html.contains("It does not mean there is no problem."))
    }

    @Test func csvParsesBackAndCarriesTheThreshold() throws {
        let report = try Self.sample()
        let rows = try CSV.parse(report.render(.csv))
        let header = try #require(rows.first).fields
        #expect(header.first == "section" && header.contains("caseload_p90") && header.contains("held_back"))
        #expect(!header.contains("caseload_max"))
        #expect(rows.allSatisfy { $0.fields.count == header.count })
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        let method = try #require(rows.first { $0.fields[0] == "method" }).fields
        #expect(method[1] == "min_reporters" && method[column["records"]!] == "3")
        let total = try #require(rows.first { $0.fields[0] == "total" }).fields
        #expect(total[column["records"]!] == "9")
        #expect(total[column["reporters"]!] == "4")
        #expect(total[column["unpaid_hours_total"]!] == "28")
        let blame = try #require(rows.first { $0.fields[1] == "blame_culture" }).fields
        #expect(blame[column["suppressed"]!] == "1" && blame[column["records"]!] == "" && blame[column["held_back"]!] == "held back")
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
        #expect(markdown.contains("## Month by month"))
        #expect(markdown.contains("## Findings cited"))
        #expect(markdown.contains("`munro-2011-bureaucracy-heart-of-work-lost`"))
        #expect(markdown.contains("March 2026"))
        #expect(markdown.contains("It does not mean there is no problem."))
    }
}
