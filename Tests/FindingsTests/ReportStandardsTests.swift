import Foundation
import Testing
@testable import Findings

/// A record of `reporter` for `week` whose metrics `set` fills in.
func standardsRecord(_ reporter: String, week: String = "2026-W12", _ set: (inout EvidenceMetrics) -> Void) -> EvidenceRecord {
    var made = record(reporter, week: week)
    set(&made.metrics)
    // As `share` does: the week of the last supervision becomes whether it was within the month.
    made.metrics.judgeSupervision(in: made.week)
    return made
}

/// The figures the UK standards measure: supervision against the LGA monthly standard, caseload
/// in children and families apart, TOIL beside unpaid hours, lunch breaks and intention to leave;
/// each from three people a month or held back, and each defined in the method statement.
@Suite("Report figures against the standards")
struct ReportStandardsTests {
    /// March 2026 holds weeks 10 to 13 (their Thursdays); a person's month is judged by their last
    /// record of it that gives the week of their last supervision.
    @Test func supervisionIsJudgedOncePerPersonMonthAgainstTheMonthlyStandard() throws {
        let records = [
            standardsRecord("a") { $0.supervisionWeek = ISOWeek("2026-W08") },                  // 4 weeks: meets
            standardsRecord("b") { $0.supervisionWeek = ISOWeek("2026-W07") },                  // 5 weeks: does not
            standardsRecord("c", week: "2026-W11") { $0.supervisionWeek = ISOWeek("2026-W02") },
            standardsRecord("c") { $0.supervisionWeek = ISOWeek("2026-W12") },                  // c's last: meets
            standardsRecord("d", week: "2026-W11") { $0.supervisionWeek = ISOWeek("2026-W10") }, // d's last judged: meets
            standardsRecord("d") { $0.supervisionWeek = ISOWeek("2026-W13") },                  // after its week: not judged
        ]
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.supervisionWithinMonth == ShareSummary(records: 5, reporters: 4, judged: 4, meeting: 3))
        #expect(statistics.supervisionWithinMonth?.share == 0.75)
        // Each month on its own: a and b in April judged again, by April's records.
        let april = records + [standardsRecord("a", week: "2026-W15") { $0.supervisionWeek = ISOWeek("2026-W08") },
                               standardsRecord("b", week: "2026-W15") { $0.supervisionWeek = ISOWeek("2026-W15") },
                               standardsRecord("c", week: "2026-W15") { $0.supervisionWeek = ISOWeek("2026-W12") }]
        let report = try Report.build(records: april)
        #expect(report.months.map { $0.statistics?.supervisionWithinMonth?.meeting } == [3, 2])
        #expect(report.total.statistics?.supervisionWithinMonth?.judged == 7)
    }

    /// Newly qualified workers apart only when they are three people or more and so are the
    /// others (or there are none): else the figure for everyone minus theirs would be one or two
    /// people's. They always count in the figure for everyone.
    @Test(arguments: [(3, 0, true), (3, 1, false), (3, 2, false), (3, 3, true), (2, 3, false), (4, 3, true)])
    func newlyQualifiedAreShownApartOnlyWhenNeitherGroupIsOneOrTwoPeople(newlyQualified: Int, others: Int, shown: Bool) throws {
        let records = (0..<(newlyQualified + others)).map { index in
            standardsRecord("r\(index)") {
                $0.supervisionWeek = ISOWeek(index.isMultiple(of: 2) ? "2026-W12" : "2026-W05")
                $0.newlyQualified = index < newlyQualified
            }
        }
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.supervisionWithinMonth?.judged == newlyQualified + others)
        #expect((statistics.supervisionWithinMonthNewlyQualified != nil) == shown)
        #expect(statistics.heldBack.contains("supervision_within_month_newly_qualified") == !shown)
        if shown { #expect(statistics.supervisionWithinMonthNewlyQualified?.judged == newlyQualified) }
    }

    @Test func aFullSessionIsUninterruptedAndAtLeastNinetyMinutes() throws {
        let records = [
            standardsRecord("a") { $0.supervisionMinutes = 90; $0.supervisionUninterrupted = true },
            standardsRecord("b") { $0.supervisionMinutes = 120; $0.supervisionUninterrupted = false },
            standardsRecord("c") { $0.supervisionMinutes = 60; $0.supervisionUninterrupted = true },
            standardsRecord("d") { $0.supervisionMinutes = 0; $0.supervisionUninterrupted = true },   // no session
            standardsRecord("e") { $0.supervisionMinutes = 95 },                                       // not said
        ]
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.supervisionFullSessions == ShareSummary(records: 3, reporters: 3, judged: 3, meeting: 1))
        #expect(Report.displayFigures(statistics).contains("1 of 3 (33 %)"))
    }

    /// Children and families are two figures: never added, never in one median.
    @Test func familiesAreAFigureOfTheirOwn() throws {
        let records = [
            standardsRecord("a") { $0.caseload = 20; $0.caseloadFamilies = 9 },
            standardsRecord("b") { $0.caseload = 22 },
            standardsRecord("c") { $0.caseload = 30; $0.caseloadFamilies = 12 },
            standardsRecord("d") { $0.caseloadFamilies = 10 },
        ]
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.caseload == CaseloadSummary(records: 3, reporters: 3, median: 22, p90: nil))
        #expect(statistics.caseloadFamilies == CaseloadSummary(records: 3, reporters: 3, median: 10, p90: nil))
        let csv = try CSV.parse(try Report.build(records: records).render(.csv))
        let header = try #require(csv.first).fields
        let total = try #require(csv.first { $0.fields[0] == "total" }).fields
        #expect(total[header.firstIndex(of: "caseload_median")!] == "22" && total[header.firstIndex(of: "caseload_families_median")!] == "10")
    }

    /// Time off in lieu is shown beside unpaid hours and takes nothing off them.
    @Test func toilStandsBesideUnpaidHours() throws {
        let records = [
            standardsRecord("a") { $0.hoursWorked = 45; $0.hoursPaid = 37; $0.hoursToil = 4 },
            standardsRecord("b") { $0.hoursWorked = 40; $0.hoursPaid = 37; $0.hoursToil = 0 },
            standardsRecord("c") { $0.hoursWorked = 41; $0.hoursPaid = 37; $0.hoursToil = 2 },
        ]
        let statistics = try #require(try Report.build(records: records).total.statistics)
        #expect(statistics.unpaidHours == HoursSummary(records: 3, reporters: 3, total: 15, mean: 5))
        #expect(statistics.toilHours == HoursSummary(records: 3, reporters: 3, total: 6, mean: 2))
    }

    @Test func lunchBreaksAreCountedPerWeek() throws {
        let records = [
            standardsRecord("a", week: "2026-W11") { $0.lunchBreak = .notTaken }, standardsRecord("a") { $0.lunchBreak = .notTaken },
            standardsRecord("b") { $0.lunchBreak = .partly }, standardsRecord("c") { $0.lunchBreak = .taken },
        ]
        let lunch = try #require(try Report.build(records: records).total.statistics?.lunchBreak)
        #expect(lunch == AnswerSummary(records: 4, reporters: 3, answers: ["taken": 1, "partly": 1, "not_taken": 2]))
        #expect(Report.share(lunch, "not_taken") == "2 of 4 (50 %)")
    }

    /// Only among those who answered, each person once with their latest answer.
    @Test func intentionToLeaveCountsEachPersonsLatestAnswer() throws {
        let records = [
            standardsRecord("a", week: "2026-W11") { $0.intendingToLeave = .yes }, standardsRecord("a") { $0.intendingToLeave = .no },
            standardsRecord("b") { $0.intendingToLeave = .yes }, standardsRecord("c") { $0.intendingToLeave = .unsure },
            standardsRecord("d") { $0.caseload = 20 },
        ]
        let report = try Report.build(records: records)
        let leaving = try #require(report.total.statistics?.intendingToLeave)
        #expect(leaving == AnswerSummary(records: 4, reporters: 3, answers: ["yes": 1, "no": 1, "unsure": 1]))
        #expect(Report.share(leaving, "yes") == "1 of 3 (33 %)")
        #expect(report.headline.contains("Of the 3 who said whether they intend to leave, 1 said yes."))
    }

    /// Gives `figure`, with 47 wherever it holds a number.
    static func give(_ figure: String, _ metrics: inout EvidenceMetrics) {
        switch figure {
        case "caseload_families": metrics.caseloadFamilies = 47
        case "hours_toil": metrics.hoursToil = 47
        case "supervision_within_month": metrics.supervisionWeek = ISOWeek("2026-W12")
        case "supervision_full_sessions": metrics.supervisionMinutes = 47; metrics.supervisionUninterrupted = true
        case "lunch_break": metrics.lunchBreak = .notTaken
        default: metrics.intendingToLeave = .yes
        }
    }

    /// Each new figure given by two of three people is held back on its own; the row stands.
    @Test(arguments: ["caseload_families", "hours_toil", "supervision_within_month", "supervision_full_sessions", "lunch_break",
                      "intending_to_leave"])
    func aNewFigureFromTwoPeopleIsHeldBack(figure: String) throws {
        let records = ["a", "b", "c"].map { reporter in
            standardsRecord(reporter) { metrics in
                metrics.caseload = 30
                if reporter != "c" { Self.give(figure, &metrics) }
            }
        }
        let report = try Report.build(records: records)
        let statistics = try #require(report.total.statistics)
        #expect(statistics.heldBack == [figure] || (figure == "supervision_full_sessions" && statistics.heldBack == ["supervision_minutes", figure]))
        #expect(statistics.caseloadFamilies == nil && statistics.toilHours == nil && statistics.supervisionWithinMonth == nil)
        #expect(statistics.supervisionFullSessions == nil && statistics.lunchBreak == nil && statistics.intendingToLeave == nil)
        for format in [Report.Format.markdown, .csv, .json] {
            let text = report.render(format)
            #expect(!text.split { !$0.isNumber }.contains("47") && !text.contains("2 of 2"), "\(format) shows two people's \(figure)")
        }
    }

    /// Every figure's definition is in the method statement of every format.
    @Test func theMethodStatementDefinesEveryFigureInEveryFormat() throws {
        let report = try ReportTests.sample()
        #expect(report.method.definitions.map(\.figure) == ReportFigure.allCases.map(\.rawValue))
        let markdown = report.render(.markdown), html = report.render(.html)
        for definition in report.method.definitions {
            #expect(markdown.contains("- **\(definition.name)**: \(definition.definition)"), "\(definition.figure)")
            #expect(html.contains(Report.htmlEscape(definition.definition)), "\(definition.figure)")
        }
        let rows = try CSV.parse(report.render(.csv)).filter { $0.fields[0] == "definition" }
        #expect(rows.map { $0.fields[1] } == ReportFigure.allCases.map(\.rawValue))
        #expect(rows.allSatisfy { $0.fields[2].count > 40 })
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any])
        let method = try #require(json["method"] as? [String: Any])
        #expect((method["definitions"] as? [[String: Any]])?.count == ReportFigure.allCases.count)
        #expect((method["statement"] as? String)?.contains("No health or sickness data") == true)
        for words in ["children allocated", "never added", "4 weeks before", "uninterrupted and at least 90 minutes",
                      "opt-in", "weeks with none", "never subtracted", "caseload × 37 ÷ hours paid",
                      "37 hours being the standard full-time week of the NJC Green Book for English councils",
                      "a part-time worker's caseload is scaled up to a full-time week", "per case-holding full-time equivalent (FTE)",
                      "left out of this figure only"] {
            #expect(markdown.contains(words), "the method statement does not say \(words)")
        }
    }

    @Test func theHeadlineJudgesSupervisionAgainstTheStandard() throws {
        let records = ["a", "b", "c", "d"].enumerated().map { index, reporter in
            standardsRecord(reporter) {
                $0.supervisionWeek = ISOWeek(index == 0 ? "2026-W03" : "2026-W11")
                $0.supervisionMinutes = 90
                $0.supervisionUninterrupted = index != 1
                $0.lunchBreak = index < 3 ? .notTaken : .taken
                $0.hoursToil = 1.5
            }
        }
        let headline = try Report.build(records: records).headline
        #expect(headline.contains("within about a month in 3 of 4 person-months (75 %); the standard is at least monthly."), "\(headline)")
        #expect(headline.contains("75 % of supervision sessions were uninterrupted and at least 90 minutes long."))
        #expect(headline.contains("no lunch break at all in 75 %"))
        #expect(headline.contains("They took 6 hours back as time off in lieu"))
    }

    /// Random evidence, one month: wherever the newly qualified figure is shown beside the figure
    /// for everyone, the others it leaves are nobody or at least three people.
    @Test func theNewlyQualifiedFigureNeverLeavesOneOrTwoOthers() throws {
        var generator = SplitMix(seed: 21)
        for _ in 0..<200 {
            let records = ReportFixtures.random(&generator, months: 1)
            let report = try Report.build(records: records)
            guard let statistics = report.total.statistics, statistics.supervisionWithinMonthNewlyQualified != nil else { continue }
            let others = ReportFixtures.latest(records).filter {
                ReportFigure.supervisionWithinMonth.isGiven(by: $0) && $0.metrics.newlyQualified != true
            }
            let people = Set(others.compactMap(\.reporter)).count
            #expect(people == 0 || people >= report.minReporters, "\(records)")
        }
    }
}
