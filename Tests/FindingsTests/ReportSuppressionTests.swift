import Foundation
import Testing
@testable import Findings

/// Secondary suppression within a month: no held-back figure may be worked out from a shown total
/// and the other shown rows that add up to it.
@Suite("Report secondary suppression")
struct ReportSuppressionTests {
    @Test func aHeldBackMonthTakesNoPartInTheTotal() throws {
        var records: [EvidenceRecord] = []
        for reporter in ["a", "b", "c", "d"] { records.append(record(reporter, week: "2026-W02", caseload: 30, supervision: .held)) }
        for reporter in ["a", "b", "c"] { records.append(record(reporter, week: "2026-W06", caseload: 31, supervision: .held)) }
        records.append(record("e", week: "2026-W10", caseload: 44, supervision: .cancelled))
        let report = try Report.build(records: records)
        #expect(report.months.map(\.key) == ["2026-01", "2026-02", "2026-03"])
        #expect(report.months.map(\.suppressed) == [false, false, true])
        #expect(report.months.allSatisfy { !$0.secondary })
        // The total is the shown months exactly: nothing of March is in it to be subtracted out.
        let total = try #require(report.total.statistics)
        #expect(total.records == 7 && total.supervision?.cancelled == 0 && total.supervision?.held == 7)
        #expect(total.reporters == 4)
    }

    @Test func evidenceLinkedToNoFindingIsProtectedLikeACell() throws {
        // One reporter shares a record with no category; three share caseload records. Total −
        // caseload_workload would be that one record, so the category is held back.
        var records = ["a", "b", "c"].map { record($0, caseload: 25) }
        records.append(record("z", caseload: 60, categories: [], findings: []))
        let report = try Report.build(records: records)
        #expect(!report.total.suppressed)
        let category = try #require(report.categories.first)
        #expect(category.key == "caseload_workload" && category.suppressed && category.secondary)
        #expect(report.render(.markdown).contains("would give a held-back figure away"))
        #expect(report.render(.html).contains("would give a held-back figure away"))
    }

    @Test func aCategoryProtectsItsFindings() throws {
        let big = "ofsted-worcestershire-2017-caseloads", small = "ofsted-doncaster-2012-large-caseloads-delays"
        var records = ["a", "b", "c"].map { record($0, week: "2026-W10", caseload: 25, findings: [big]) }
        records += ["a", "b", "c"].map { record($0, week: "2026-W11", caseload: 26, findings: [big]) }
        records.append(record("d", caseload: 70, findings: [small]))
        let report = try Report.build(records: records)
        let category = try #require(report.categories.first { $0.key == "caseload_workload" })
        // The category has 4 people and its findings add up to it: the small finding is held
        // back, so the big one must go too, or category − big finding would be the small one.
        #expect(report.findings.first { $0.key == small }?.suppressed == true)
        #expect(report.findings.first { $0.key == big }?.suppressed == true)
        #expect(report.findings.first { $0.key == big }?.secondary == true)
        #expect(category.statistics?.records == 7)
    }

    @Test func aHiddenCategoryIsNotGivenAwayByItsOnlyFinding() throws {
        let caseload = "ofsted-worcestershire-2017-caseloads", recording = "munro-2011-bureaucracy-heart-of-work-lost"
        var records = ["a", "b", "c"].map { record($0, caseload: 30, findings: [caseload]) }
        records.append(record("a", week: "2026-W11", caseload: 30, findings: [caseload]))
        records += ["a", "b", "c"].map { record($0, week: "2026-W12", categories: [.recordingIT], findings: [recording]) }
        records.append(record("d", categories: [.frontDoor], findings: ["birmingham-scrutiny-2009-referrals-screened-by-inexperienced-staff"]))
        let report = try Report.build(records: records)
        func category(_ key: String) -> ReportCell? { report.categories.first { $0.key == key } }
        #expect(category("front_door")?.suppressed == true)
        // recording_it (3 records) is the smallest category beside front_door's single one…
        #expect(category("recording_it")?.secondary == true)
        #expect(category("caseload_workload")?.suppressed == false)
        // …and its one finding holds exactly its records, so it goes as well.
        #expect(report.findings.first { $0.key == recording }?.suppressed == true)
        #expect(report.findings.first { $0.key == recording }?.secondary == true)
    }

    @Test func twoHeldBackMonthsNeedNothingMore() throws {
        var records = ["a", "b", "c"].map { record($0, week: "2026-W02", caseload: 25) }
        records.append(record("d", week: "2026-W06", caseload: 30))
        records.append(record("e", week: "2026-W10", caseload: 31))
        let report = try Report.build(records: records)
        #expect(report.months.map(\.suppressed) == [false, true, true])
        #expect(report.months.allSatisfy { !$0.secondary })
    }

    /// Random evidence, one month at a time: within each month, the held-back categories never
    /// stand alone against the total.
    @Test func noShownTotalLeavesASingleSensitiveUnknown() throws {
        var generator = SplitMix(seed: 7)
        for _ in 0..<200 {
            let records = ReportFixtures.random(&generator, months: 1)
            let report = try Report.build(records: records)
            guard !report.total.suppressed else { continue }
            let people = ReportFixtures.latest(records)
            let unlinked = people.filter { $0.categories.isEmpty }
            let hiddenCategories = report.categories.filter(\.suppressed).count + (unlinked.isEmpty ? 0 : 1)
            let sensitive = report.categories.contains(where: \.suppressed)
                || (!unlinked.isEmpty && Set(unlinked.compactMap(\.reporter)).count < report.minReporters)
            #expect(!sensitive || hiddenCategories != 1, "a single hidden category in \(records)")
        }
    }
}

/// Evidence made at random for the suppression and differencing tests.
enum ReportFixtures {
    static let reporters = ["a", "b", "c", "d", "e", "f"]
    static let choices: [(FindingCategory, String)] = [
        (.caseloadWorkload, "ofsted-worcestershire-2017-caseloads"), (.caseloadWorkload, "ofsted-doncaster-2012-large-caseloads-delays"),
        (.supervision, "swtf-2009-supervision-squeezed-out"), (.recordingIT, "munro-2011-bureaucracy-heart-of-work-lost"),
    ]

    /// Up to 14 records over the first `months` months of 2026, each giving some of the figures.
    static func random(_ generator: inout SplitMix, months: Int) -> [EvidenceRecord] {
        let weeks = (0..<months).flatMap { month in [2, 3].map { "2026-W\(String(format: "%02d", month * 5 + $0))" } }
        let count = Int(generator.next() % 14) + 1
        return (0..<count).map { _ -> EvidenceRecord in
            let reporter = reporters[Int(generator.next() % UInt64(reporters.count))]
            let week = weeks[Int(generator.next() % UInt64(weeks.count))]
            let pick = Int(generator.next() % UInt64(choices.count + 1))
            let (categories, findings) = pick == choices.count ? ([], []) : ([choices[pick].0], [choices[pick].1])
            let caseload = generator.next() % 3 == 0 ? nil : Int(generator.next() % 60)
            let worked = generator.next() % 2 == 0 ? Double(35 + generator.next() % 20) : nil
            // Full-time, part-time (0.6 and 0.5 FTE) and too few hours to scale a caseload by.
            let paid = worked == nil ? nil : [37, 22.2, 18.5, 2][Int(generator.next() % 4)]
            let supervision = [SupervisionStatus.held, .cancelled, .notScheduled, nil][Int(generator.next() % 4)]
            var made = record(reporter, week: week, caseload: caseload, worked: worked, paid: paid,
                              supervision: supervision, categories: categories, findings: findings)
            if generator.next() % 2 == 0 {
                made.metrics.hoursRecording = Double(generator.next() % 30)
                made.metrics.hoursDirect = Double(generator.next() % 30)
            }
            addStandardsFields(to: &made, &generator)
            return made
        }
    }

    /// Some of the fields the standards measure, each given or not at random: a last supervision
    /// up to 7 weeks before the record's week (or one after it), newly qualified or not, families,
    /// TOIL, a session, lunch breaks and intention to leave.
    static func addStandardsFields(to made: inout EvidenceRecord, _ generator: inout SplitMix) {
        if generator.next() % 2 == 0 {
            let weeksBefore = Int(generator.next() % 9) - 1
            made.metrics.supervisionWeek = ISOWeek(date: made.week.monday.addingTimeInterval(-Double(weeksBefore) * 7 * 86_400))
            made.metrics.judgeSupervision(in: made.week)
            made.metrics.newlyQualified = generator.next() % 2 == 0
        }
        if generator.next() % 3 == 0 { made.metrics.caseloadFamilies = Int(generator.next() % 30) }
        if generator.next() % 3 == 0 { made.metrics.hoursToil = Double(generator.next() % 8) }
        if generator.next() % 3 == 0 {
            made.metrics.supervisionMinutes = [0, 60, 90, 120][Int(generator.next() % 4)]
            made.metrics.supervisionUninterrupted = generator.next() % 2 == 0
        }
        if generator.next() % 3 == 0 { made.metrics.lunchBreak = LunchBreak.allCases[Int(generator.next() % 3)] }
        if generator.next() % 3 == 0 { made.metrics.intendingToLeave = LeavingIntention.allCases[Int(generator.next() % 3)] }
    }

    /// The records a report counts: the last of each person's week.
    static func latest(_ records: [EvidenceRecord]) -> [EvidenceRecord] { Report.latestPerPersonAndWeek(records) }
}

/// A small seeded generator, so the random tests are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
