import Findings
import Foundation
import Storage
import SyncCore
import Testing
@testable import fieldnote

/// The demo's evidence on fixed dates: the figures the standards measure come out the same on
/// any day the demo is run, whether last week falls in this month, the month before or last year.
@Suite("demo evidence on any date")
struct DemoEvidenceTests {
    /// Asha, Ben and Cara write and share their workload notes on `now`; the report over all three.
    static func report(on now: Date) throws -> Report {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fieldnote-demo-evidence-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let evidence = DemoEvidence(now: now)
        var records: [EvidenceRecord] = []
        let rep = try DemoDevice("Rosa", role: "union rep", in: root)
        defer { rep.close() }
        for name in ["Asha", "Ben", "Cara"] {
            let device = try DemoDevice(name, role: "social worker", in: root)
            defer { device.close() }
            // Marked as rep, with her key known: what the demo's first sync with her leaves.
            try device.trusts(rep, [.evidence], asRep: true)
            try device.trust.learnKey(rep.identity.publicKey, of: rep.id)
            let notes = (name == "Asha" ? [DemoEvidence.ashaVisit] : []) + (DemoEvidence.notes[name] ?? [])
            for note in notes { _ = try evidence.share(try evidence.write(note, on: device.store), on: device) }
            records += try device.evidence().evidenceRecords()
        }
        return try Report.build(records: records, catalog: try FindingsCatalog())
    }

    /// Mid-month; a Monday whose last week is in February; the first day of a year whose
    /// ISO week belongs to the year before; a month's last day.
    static let dates = ["2026-03-11T12:00:00Z", "2026-03-02T08:00:00Z", "2027-01-01T12:00:00Z", "2026-06-30T23:30:00Z"]

    @Test(arguments: dates)
    func theStandardsFiguresAreTheSameOnEveryDate(_ date: String) throws {
        let now = try #require(ISO8601DateFormatter().date(from: date))
        let statistics = try #require(try Self.report(on: now).total.statistics)
        #expect(statistics.caseloadFamilies?.median == 13)
        #expect(statistics.toilHours?.total == 5.5)
        // Asha's last supervision was six weeks ago; Ben and Cara were supervised this week.
        #expect(statistics.supervisionWithinMonth == ShareSummary(records: 3, reporters: 3, judged: 3, meeting: 2))
        #expect(statistics.lunchBreak?.answers == ["taken": 0, "partly": 1, "not_taken": 2])
        #expect(statistics.intendingToLeave?.answers == ["yes": 2, "no": 0, "unsure": 1])
        // Two newly qualified and two sessions: held back, and said so.
        #expect(statistics.supervisionWithinMonthNewlyQualified == nil && statistics.supervisionFullSessions == nil)
        #expect(statistics.heldBack.contains("supervision_within_month_newly_qualified"))
        #expect(statistics.heldBack.contains("supervision_full_sessions"))
    }

    @Test func theSupervisionDateIsWholeWeeksBeforeTheNotesWeek() throws {
        let evidence = DemoEvidence(now: try #require(ISO8601DateFormatter().date(from: "2026-03-02T08:00:00Z")))
        #expect(evidence.day(weeksBefore: 6, lastWeek: false) == "2026-01-19")
        #expect(evidence.day(weeksBefore: 0, lastWeek: true) == "2026-02-23")
        #expect(ISOWeek(day: evidence.day(weeksBefore: 6, lastWeek: false)) == ISOWeek("2026-W04"))
    }
}
