import Foundation
import Testing
@testable import Findings

/// A record of `reporter` with `caseload` children on `paid` hours a week.
func paidRecord(_ reporter: String, caseload: Int?, paid: Double?, week: String = "2026-W10") -> EvidenceRecord {
    record(reporter, week: week, caseload: caseload, paid: paid)
}

/// Caseload per full-time equivalent: each caseload scaled to a 37-hour week, held back like any
/// figure, set beside the DfE census averages of each verified year.
@Suite("Report caseload per FTE")
struct ReportCaseloadPerFTETests {
    /// Every number a rendering holds, as whole tokens (so 16.3 is not 6 or 3).
    static func numbers(_ text: String) -> [Substring] { text.split { !$0.isNumber && $0 != "." } }

    /// A part-time worker on 22.2 paid hours (0.6 FTE) holding 12 children holds 20 per FTE: the
    /// median per FTE is hers scaled up, not the raw median of 12.
    @Test func aPartTimeWorkersCaseloadIsScaledToAFullTimeWeek() throws {
        #expect(abs(22.2 / Report.fullTimeWeeklyHours - 0.6) < 1e-12)
        let partTime = paidRecord("a", caseload: 12, paid: 22.2)
        #expect(abs((partTime.metrics.caseloadPerFTE ?? 0) - 20) < 1e-9)
        let report = try Report.build(records: [partTime, paidRecord("b", caseload: 25, paid: 37), paidRecord("c", caseload: 10, paid: 37)])
        let statistics = try #require(report.total.statistics)
        #expect(statistics.caseload?.median == 12)
        let perFTE = try #require(statistics.caseloadPerFTE)
        #expect(perFTE.records == 3 && perFTE.reporters == 3 && perFTE.p90 == nil)
        #expect(abs(perFTE.median - 20) < 1e-9)
        #expect(statistics.heldBack.isEmpty)

        #expect(report.render(.markdown).contains("| 3 | 3 | 12 | – | 20 | – |"))
        #expect(report.render(.html).contains("<td>12</td><td>–</td><td>20</td><td>–</td>"))
        let rows = try CSV.parse(report.render(.csv))
        let header = try #require(rows.first).fields
        let total = try #require(rows.first { $0.fields[0] == "total" }).fields
        #expect(total[header.firstIndex(of: "caseload_median")!] == "12" && total[header.firstIndex(of: "caseload_fte_median")!] == "20")
        #expect(total[header.firstIndex(of: "caseload_fte_records")!] == "3" && total[header.firstIndex(of: "caseload_fte_p90")!] == "")
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        let figures = try #require((json["total"] as? [String: Any])?["statistics"] as? [String: Any])
        #expect(abs(((figures["caseload_fte"] as? [String: Any])?["median"] as? Double ?? 0) - 20) < 1e-9)
        #expect(try JSONDecoder().decode(Report.self, from: Data(report.render(.json).utf8)) == report)

        #expect(report.headline.contains(
            "Scaled to a full-time week of 37 hours, the median caseload was 20, against a national average of 16.3 per case-holding FTE in 2020 (DfE workforce census)."),
            "\(report.headline)")
        #expect(report.render(.markdown).contains("Median caseload per FTE here (children, scaled to a 37-hour week): 20. Nationally: 16.9"))
    }

    /// As for caseload: the 90th percentile from ten people, not from nine.
    @Test func thePercentileNeedsTenPeopleAsForCaseload() throws {
        let records = (1...10).map { paidRecord("r\($0)", caseload: $0, paid: 18.5) }   // half-time: 2, 4, …, 20 per FTE
        let perFTE = try #require(try Report.build(records: records).total.statistics?.caseloadPerFTE)
        #expect(perFTE.median == 11 && abs((perFTE.p90 ?? 0) - 18.2) < 1e-9)
        #expect(try Report.build(records: Array(records.prefix(9))).total.statistics?.caseloadPerFTE?.p90 == nil)
    }

    /// Two people gave paid hours: their caseload per FTE (31 on 22.2 hours: 51.7) is held back
    /// in every format, the caseload of all three shown, and the headline sets nothing beside
    /// the national average.
    @Test func aCaseloadPerFTEFromTwoPeopleIsHeldBack() throws {
        let records = [paidRecord("a", caseload: 31, paid: 22.2), paidRecord("b", caseload: 28, paid: 37), paidRecord("c", caseload: 26, paid: nil)]
        let report = try Report.build(records: records)
        let statistics = try #require(report.total.statistics)
        #expect(statistics.caseload?.median == 28 && statistics.caseloadPerFTE == nil)
        #expect(statistics.heldBack == ["caseload_fte"])
        for format in Report.Format.allCases {
            #expect(!Self.numbers(report.render(format)).contains("51.7"), "\(format) shows two people's caseload per FTE")
        }
        #expect(report.render(.markdown).contains("| 3 | 3 | 28 | – | held back | held back |"))
        #expect(report.render(.markdown).contains("Median caseload per FTE here (children, scaled to a 37-hour week): not shown (held back). Nationally: 16.3"))
        #expect(!report.headline.contains("full-time week") && !report.headline.contains("16.3"), "\(report.headline)")
        #expect(report.headline.contains("Their median caseload was 28."))
    }

    /// A record without paid hours, or without a case, gives every other figure and not this one.
    @Test func recordsMissingHoursPaidAreLeftOutOfThisFigureOnly() throws {
        var records = [paidRecord("a", caseload: 20, paid: 37), paidRecord("b", caseload: 22, paid: 37), paidRecord("c", caseload: 24, paid: 37)]
        records.append(paidRecord("d", caseload: 40, paid: nil))
        records.append(paidRecord("e", caseload: 0, paid: 37))
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.caseload == CaseloadSummary(records: 5, reporters: 5, median: 22, p90: nil))
        #expect(statistics.caseloadPerFTE == CaseloadSummary(records: 3, reporters: 3, median: 22, p90: nil))
        #expect(statistics.records == 5 && statistics.heldBack.isEmpty)
        #expect(!ReportFigure.caseloadPerFTE.isGiven(by: records[3]) && ReportFigure.caseload.isGiven(by: records[3]))
        #expect(!ReportFigure.caseloadPerFTE.isGiven(by: records[4]), "no case: the census counts case-holding workers only")
    }

    /// Each verified year's DfE average stands on a line of its own, with its own sentence,
    /// source and where its words were seen, in every format; 2023's unverified 16.0 nowhere.
    @Test func theBenchmarkOfEachVerifiedYearIsInEveryFormat() throws {
        let report = try ReportTests.sample()
        let census = Benchmark.national.filter { $0.figure == "caseload_fte" }
        #expect(census.map(\.year) == [2019, 2020] && census.map(\.value) == [16.9, 16.3])
        #expect(census[0].quote == "The average caseload per children and family social worker was 16.9, down from 17.4 last year.")
        #expect(census[1].quote == "The average caseload per children and family social worker fell to 16.3 in 2020, down from 16.9 in 2019.")
        #expect(census[0].verifiedIn.contains("https://vdocuments.net/") && census[1].verifiedIn.contains("explore-education-statistics"))

        let markdown = report.render(.markdown), html = report.render(.html)
        for benchmark in census {
            let line = "Nationally: \(Report.number(benchmark.value)), the average caseload per case-holding full-time equivalent (FTE) children and family social worker, England, \(benchmark.year!) (DfE workforce census)."
            #expect(markdown.contains("\(line) “\(benchmark.quote)” Source: \(benchmark.source); words verified in \(benchmark.verifiedIn)\n"))
            #expect(html.contains(Report.htmlEscape(line)) && html.contains("<blockquote>“\(Report.htmlEscape(benchmark.quote))”</blockquote>"))
            #expect(html.contains(Report.linkify("\(benchmark.source); words verified in \(benchmark.verifiedIn)")))
        }
        #expect(markdown.range(of: "England, 2019")!.lowerBound < markdown.range(of: "England, 2020")!.lowerBound, "oldest first")

        let rows = try CSV.parse(report.render(.csv))
        let header = try #require(rows.first).fields
        let benchmarkRows = rows.filter { $0.fields[0] == "benchmark" && $0.fields[1] == "caseload_fte" }.map(\.fields)
        #expect(benchmarkRows.map { $0[header.firstIndex(of: "caseload_fte_median")!] } == ["16.9", "16.3"])
        for (row, benchmark) in zip(benchmarkRows, census) {
            #expect(row[2] == "\(benchmark.label): “\(benchmark.quote)”")
            #expect(row[header.firstIndex(of: "source")!] == "\(benchmark.source); words verified in \(benchmark.verifiedIn)")
        }

        let json = try #require(JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        let listed = try #require(json["benchmarks"] as? [[String: Any]]).filter { $0["figure"] as? String == "caseload_fte" }
        #expect(listed.map { $0["year"] as? Int } == [2019, 2020] && listed.map { $0["value"] as? Double } == [16.9, 16.3])
        #expect(listed.map { $0["quote"] as? String } == census.map(\.quote) && listed.map { $0["verified_in"] as? String } == census.map(\.verifiedIn))

        for format in Report.Format.allCases {
            #expect(!Self.numbers(report.render(format)).contains("16.0"), "\(format) quotes 2023's unverified average")
        }
    }

    /// Paid hours of 0, or so few that the scaling would run away (down to the least double
    /// there is), are hours a device can write: they leave the record out of this figure and
    /// never divide by zero or print inf or nan. 3.7 hours, a tenth of a week, is the least used.
    @Test(arguments: [0, .leastNonzeroMagnitude, 1e-300, 0.001, 3.69])
    func tinyOrZeroPaidHoursNeverDivideByZero(paid: Double) throws {
        let hostile = paidRecord("z", caseload: 200, paid: paid)
        #expect(EvidenceLimits.problem(hostile) == nil, "a record any device can write")
        #expect(hostile.metrics.caseloadPerFTE == nil)
        let report = try Report.build(records: ["a", "b", "c"].map { paidRecord($0, caseload: 30, paid: 37) } + [hostile])
        let statistics = try #require(report.total.statistics)
        #expect(statistics.caseload?.records == 4)
        #expect(statistics.caseloadPerFTE == CaseloadSummary(records: 3, reporters: 3, median: 30, p90: nil))
        for format in Report.Format.allCases {
            let words = report.render(format).lowercased().split { !$0.isLetter }
            #expect(!words.contains("inf") && !words.contains("infinity") && !words.contains("nan"), "\(format)")
        }
        #expect((try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])?["total"] != nil)
        #expect(abs((paidRecord("z", caseload: 200, paid: Report.minimumPaidHoursPerFTE).metrics.caseloadPerFTE ?? 0) - 2_000) < 1e-9)
    }
}
