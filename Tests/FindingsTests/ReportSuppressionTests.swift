import Foundation
import Testing
@testable import Findings

/// Secondary suppression: no suppressed cell may be worked out from a shown total and the other
/// shown cells that add up to it.
@Suite("Report secondary suppression")
struct ReportSuppressionTests {
    /// The records of `cell`'s figures that are additive, as one comparable tuple-like array.
    static func additive(_ statistics: CellStatistics?) -> [Double] {
        guard let s = statistics else { return [] }
        return [Double(s.records), Double(s.supervision.held), Double(s.supervision.cancelled),
                Double(s.supervision.notScheduled), s.unpaidHours?.total ?? 0]
    }

    @Test func aLoneSuppressedWeekTakesTheSmallestOtherWeekWithIt() throws {
        var records: [EvidenceRecord] = []
        for reporter in ["a", "b", "c", "d"] { records.append(record(reporter, week: "2026-W10", caseload: 30, supervision: .held)) }
        for reporter in ["a", "b", "c"] { records.append(record(reporter, week: "2026-W11", caseload: 31, supervision: .held)) }
        records.append(record("e", week: "2026-W12", caseload: 44, supervision: .cancelled))
        let report = try Report.build(records: records)
        #expect(!report.total.suppressed)
        #expect(report.weeks.map(\.key) == ["2026-W10", "2026-W11", "2026-W12"])
        #expect(report.weeks.map(\.suppressed) == [false, true, true])
        #expect(report.weeks.map(\.secondary) == [false, true, false])
        // The total minus the shown weeks now covers two weeks, not one.
        let total = Self.additive(report.total.statistics)
        let shown = Self.additive(report.weeks[0].statistics)
        #expect(zip(total, shown).map { $0 - $1 } == [4, 3, 1, 0, 0])
        #expect(report.render(.markdown).contains("secondary suppression"))
        #expect(report.render(.html).contains("secondary suppression"))
    }

    @Test func evidenceLinkedToNoFindingIsProtectedLikeACell() throws {
        // One reporter shares a record with no category; three share caseload records. Total −
        // caseload_workload would be that one record, so the category is suppressed.
        var records = ["a", "b", "c"].map { record($0, caseload: 25) }
        records.append(record("z", caseload: 60, categories: [], findings: []))
        let report = try Report.build(records: records)
        #expect(!report.total.suppressed)
        let category = try #require(report.categories.first)
        #expect(category.key == "caseload_workload" && category.suppressed && category.secondary)
    }

    @Test func aCategoryProtectsItsFindings() throws {
        let big = "ofsted-worcestershire-2017-caseloads", small = "ofsted-doncaster-2012-large-caseloads-delays"
        var records = ["a", "b", "c"].map { record($0, caseload: 25, findings: [big]) }
        records += ["a", "b", "c"].map { record($0, caseload: 26, findings: [big]) }
        records.append(record("d", caseload: 70, findings: [small]))
        let report = try Report.build(records: records)
        let category = try #require(report.categories.first { $0.key == "caseload_workload" })
        // The category has 4 reporters and its finding cells add up to it: the small finding is
        // hidden, and with only one other finding shown the category itself must go.
        #expect(report.findings.first { $0.key == small }?.suppressed == true)
        #expect(report.findings.first { $0.key == big }?.suppressed == true)
        #expect(report.findings.first { $0.key == big }?.secondary == true)
        #expect(!category.suppressed || category.secondary)
        if let shown = category.statistics {
            // Were the big finding shown, category − big finding would be the small one.
            #expect(report.findings.allSatisfy { $0.statistics == nil } || shown.records == 6)
        }
    }

    @Test func aHiddenCategoryIsNotGivenAwayByItsOnlyFinding() throws {
        let caseload = "ofsted-worcestershire-2017-caseloads", recording = "munro-2011-bureaucracy-heart-of-work-lost"
        var records = ["a", "b", "c", "a"].map { record($0, caseload: 30, findings: [caseload]) }
        records += ["a", "b", "c"].map { record($0, categories: [.recordingIT], findings: [recording]) }
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

    @Test func twoSuppressedCellsNeedNothingMore() throws {
        var records = ["a", "b", "c"].map { record($0, week: "2026-W10", caseload: 25) }
        records.append(record("d", week: "2026-W11", caseload: 30))
        records.append(record("e", week: "2026-W12", caseload: 31))
        let report = try Report.build(records: records)
        #expect(report.weeks.map(\.suppressed) == [false, true, true])
        #expect(report.weeks.allSatisfy { !$0.secondary })
    }

    /// Random evidence: in every table that is shown, the hidden cells never stand alone.
    @Test func noShownTotalLeavesASingleSensitiveUnknown() throws {
        var generator = SplitMix(seed: 7)
        let reporters = ["a", "b", "c", "d", "e", "f"]
        let weeks = ["2026-W08", "2026-W09", "2026-W10"]
        let choices: [(FindingCategory, String)] = [
            (.caseloadWorkload, "ofsted-worcestershire-2017-caseloads"), (.caseloadWorkload, "ofsted-doncaster-2012-large-caseloads-delays"),
            (.supervision, "swtf-2009-supervision-squeezed-out"), (.recordingIT, "munro-2011-bureaucracy-heart-of-work-lost"),
        ]
        for _ in 0..<200 {
            let count = Int(generator.next() % 12) + 1
            let records = (0..<count).map { _ -> EvidenceRecord in
                let reporter = reporters[Int(generator.next() % UInt64(reporters.count))]
                let week = weeks[Int(generator.next() % UInt64(weeks.count))]
                let pick = Int(generator.next() % UInt64(choices.count + 1))
                let (categories, findings) = pick == choices.count ? ([], []) : ([choices[pick].0], [choices[pick].1])
                return record(reporter, week: week, caseload: 20, categories: categories, findings: findings)
            }
            let report = try Report.build(records: records)
            guard !report.total.suppressed else { continue }
            // Weeks add up to the total exactly: one hidden week would be the total minus the rest.
            let hiddenWeeks = report.weeks.filter(\.suppressed)
            #expect(hiddenWeeks.count != 1, "a single hidden week in \(records)")
            // Categories too, with the records linked to nothing as one more (unpublished) cell.
            let unlinked = records.filter { $0.categories.isEmpty }
            let hiddenCategories = report.categories.filter(\.suppressed).count + (unlinked.isEmpty ? 0 : 1)
            let sensitive = report.categories.contains(where: \.suppressed)
                || (!unlinked.isEmpty && Set(unlinked.compactMap(\.reporter)).count < report.minReporters)
            #expect(!sensitive || hiddenCategories != 1, "a single hidden category in \(records)")
        }
    }
}

/// A small seeded generator, so the random test is the same on every run.
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
