import Foundation
import Testing
import Storage
import SyncCore
@testable import Findings

/// The fields the UK standards measure, as a shared record carries them: the last supervision
/// only as its ISO week, yes/no answers, lunch breaks, TOIL and families apart, intention to
/// leave only when the worker set it.
@Suite("Evidence fields that fit the standards")
struct EvidenceFieldsTests {
    static let allFields: [String: FieldValue] = [
        "caseload": .int(28), "caseload_families": .int(11), "hours_worked": .double(45), "hours_paid": .int(37),
        "hours_toil": .double(3.5), "supervision": .string("held"), "supervision_minutes": .int(95),
        "supervision_uninterrupted": .string("yes"), "supervision_date": .string("2026-02-17"), "newly_qualified": .string("no"),
        "lunch_break": .string("not_taken"), "intending_to_leave": .string("unsure"),
    ]

    @Test func theSharedKeysAreSnakeCaseInTheirOrder() {
        #expect(EvidenceMetrics.keys == [
            "caseload", "caseload_families", "hours_worked", "hours_paid", "hours_toil", "hours_recording", "hours_direct",
            "supervision", "supervision_minutes", "supervision_uninterrupted", "supervised_within_month", "newly_qualified",
            "unallocated_cases", "lunch_break", "intending_to_leave",
        ])
        // Every shared key but the judgement of the last supervision, made from the note's date, is a field the store checks.
        #expect(EvidenceMetrics.keys.filter { FieldCatalog.spec($0) == nil } == ["supervised_within_month"])
        #expect(!EvidenceMetrics.keys.contains("supervision_date") && !EvidenceMetrics.keys.contains("supervision_week"))
    }

    /// The date of the last supervision never leaves the device, nor its week: the record holds
    /// only whether it meets the monthly standard for the record's week, which is all the report
    /// needs and stays no constant across a person's months.
    @Test func theLastSupervisionIsSharedOnlyAsWhetherItWasWithinTheMonth() throws {
        let temporary = try TemporaryStore(wallClock: { march2026 })
        let id = try temporary.store.addNote(text: "Week total.", fields: Self.allFields)
        let record = try Evidence.record(from: try temporary.store.note(id), catalog: try FindingsCatalog())
        #expect(record.metrics == EvidenceMetrics(
            caseload: 28, caseloadFamilies: 11, hoursWorked: 45, hoursPaid: 37, hoursToil: 3.5, supervision: .held,
            supervisionMinutes: 95, supervisionUninterrupted: true, newlyQualified: false,
            lunchBreak: .notTaken, intendingToLeave: .unsure, supervisedWithinMonth: true))
        #expect(record.metrics.unpaidHours == 8, "TOIL is not taken off unpaid hours")
        let json = String(decoding: record.sharedJSON, as: UTF8.self)
        #expect(json == #"{"categories":[],"findings":[],"metrics":{"caseload":28,"caseload_families":11,"hours_paid":37,"hours_toil":3.5,"hours_worked":45,"intending_to_leave":"unsure","lunch_break":"not_taken","newly_qualified":false,"supervised_within_month":true,"supervision":"held","supervision_minutes":95,"supervision_uninterrupted":true},"week":"2026-W10"}"#)
        for finer in ["2026-02-17", "02-17", "supervision_date", "17", "W08"] { #expect(!json.contains(finer), "shared JSON holds \(finer)") }
        let preview = Evidence.preview(record).text
        #expect(preview.contains("supervised_within_month yes") && !preview.contains("2026-02-17") && !preview.contains("W08"))
        #expect(try JSONDecoder().decode(EvidenceRecord.self, from: record.sharedJSON) == record)
    }

    /// Through the evidence space and back, on another device, and nothing finer than the week
    /// reaches the rep's store files.
    @Test func theNewFieldsTravelToTheRepAndTheDateDoesNot() throws {
        let worker = try TemporaryStore(wallClock: { march2026 })
        let rep = try TemporaryStore(wallClock: { march2026 })
        let id = try worker.store.addNote(text: "Week total.", fields: Self.allFields)
        let record = try Evidence.record(from: try worker.store.note(id), catalog: try FindingsCatalog())
        let union = try TestRep()
        try union.member(worker.store).addEvidence(record)
        try sync(.evidence, from: worker.store, to: rep.store)
        let received = try union.reading(rep.store).evidenceRecords()
        var expected = record
        expected.reporter = received.first?.reporter
        expected.sequence = 1
        #expect(received == [expected])
        try rep.store.close()
        for (name, bytes) in try rep.fileBytes() { #expect(!contains(bytes, "2026-02-17"), "\(name) holds the supervision date") }
    }

    @Test func theDateDecidesTheWeekWhenANoteGivesBoth() throws {
        var fields = Self.allFields
        fields["supervision_week"] = .string("2026-W02")
        #expect(try EvidenceMetrics(checking: fields).supervisionWeek == ISOWeek("2026-W08"))
        fields["supervision_date"] = nil
        #expect(try EvidenceMetrics(checking: fields).supervisionWeek == ISOWeek("2026-W02"))
        // 1 January 2027 is a Friday, in the last ISO week of 2026.
        #expect(try EvidenceMetrics(checking: ["supervision_date": .string("2027-01-01")]).supervisionWeek == ISOWeek("2026-W53"))
    }

    /// Opt-in: a note that does not say whether the worker intends to leave shares nothing about it.
    @Test func intentionToLeaveTravelsOnlyWhenSet() throws {
        var fields = Self.allFields
        fields["intending_to_leave"] = nil
        let metrics = try EvidenceMetrics(checking: fields)
        #expect(metrics.intendingToLeave == nil && metrics.fields["intending_to_leave"] == nil)
        let record = EvidenceRecord(week: ISOWeek("2026-W10")!, metrics: metrics)
        #expect(!String(decoding: record.sharedJSON, as: UTF8.self).contains("leave"))
    }

    /// A peer's op need not be written as the store writes it: `YES` and `2026-w8` read as the
    /// store would have written them, not as "no" or a lost week.
    @Test func answersAreReadAsTheStoreWritesThem() throws {
        let metrics = try EvidenceMetrics(checking: [
            "supervision_uninterrupted": .string("YES"), "newly_qualified": .string("Yes"), "supervision_week": .string("2026-w8"),
            "lunch_break": .string("Not-Taken"),
        ])
        #expect(metrics.supervisionUninterrupted == true && metrics.newlyQualified == true)
        #expect(metrics.supervisionWeek == ISOWeek("2026-W08") && metrics.lunchBreak == .notTaken)
    }

    @Test func weeksBetweenISOWeeks() throws {
        let week = try #require(ISOWeek("2026-W10"))
        #expect(week.weeks(since: try #require(ISOWeek("2026-W06"))) == 4)
        #expect(week.weeks(since: week) == 0)
        #expect(try #require(ISOWeek("2026-W02")).weeks(since: try #require(ISOWeek("2025-W50"))) == 4, "2025 has 52 weeks")
        #expect(try #require(ISOWeek("2021-W01")).weeks(since: try #require(ISOWeek("2020-W52"))) == 2, "2020 has 53 weeks")
        #expect(week.weeks(since: try #require(ISOWeek("2026-W12"))) == -2)
        #expect(ISOWeek(day: "2026-02-17") == ISOWeek("2026-W08"))
        #expect(ISOWeek(day: "2026-02-30") == nil && ISOWeek(day: "2026-W08") == nil)
    }
}
