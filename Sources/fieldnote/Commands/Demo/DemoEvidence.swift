import Findings
import Foundation
import Storage
import SyncCore

/// The demo's findings and evidence: which notes the workers write about their workload, which
/// findings they link them to, and what they share with the rep.
///
/// The figures are chosen so that Rosa's report shows every kind of cell: categories from three
/// people (shown), one from a single person (front_door: held back), and figures held back where
/// fewer than three people gave them. Half the records are about last week and half about this
/// one, so the report has a trend. The fields the standards measure (last supervision, lunch
/// breaks, time off in lieu, families, intention to leave) are all on this week's notes, so they
/// are shown, or held back, the same whatever the date: last week may fall in another month.
struct DemoEvidence {
    /// A note the demo writes, links and shares.
    struct Note {
        var text: String
        var fields: [String: FieldValue]
        var links: [String]
        var lastWeek: Bool
        /// How many weeks before the note's week the last supervision was, if the note says.
        var supervisionWeeksAgo: Int? = nil
    }

    static let caseloads = "ofsted-worcestershire-2017-caseloads"
    static let doncaster = "ofsted-doncaster-2012-large-caseloads-delays"
    static let supervision = "swtf-2009-supervision-squeezed-out"
    static let recording = "munro-2011-bureaucracy-heart-of-work-lost"
    static let frontDoor = "birmingham-scrutiny-2009-referrals-screened-by-inexperienced-staff"

    /// Asha's home visit note: the one the demo asks `suggest` about. Linked to what it suggests.
    static let ashaVisit = Note(
        text: "Home visit. My caseload is now 31, far too large, and supervision was cancelled for the third week running.",
        fields: ["caseload": .int(31), "supervision": .string("cancelled")], links: [], lastWeek: true)

    /// The workers' other workload notes, by worker, each already linked. The last note of a
    /// worker's week is the one a report counts for it.
    static let notes: [String: [Note]] = [
        "Asha": [
            Note(text: "Week total: 9 hours on recording, 6 hours of direct work, 44 hours worked for 37 paid. No lunch break on any day; last supervision six weeks ago.",
                 fields: ["caseload": .int(31), "caseload_families": .int(14), "hours_recording": .double(9), "hours_direct": .double(6),
                          "hours_worked": .double(44), "hours_paid": .double(37), "hours_toil": .double(0),
                          "lunch_break": .string("not_taken"), "newly_qualified": .string("no"), "intending_to_leave": .string("unsure")],
                 links: [recording, caseloads], lastWeek: false, supervisionWeeksAgo: 6),
        ],
        "Ben": [
            Note(text: "Strategy meeting moved twice; no manager free to sign off the plan. Caseload 27.",
                 fields: ["caseload": .int(27), "supervision": .string("not_scheduled")],
                 links: [caseloads, supervision], lastWeek: true),
            Note(text: "Week total: 11 hours on recording; 41 hours worked for 37 paid, 2 taken back. Supervision at last: an hour, interrupted twice.",
                 fields: ["caseload": .int(27), "caseload_families": .int(12), "hours_recording": .double(11), "hours_worked": .double(41),
                          "hours_paid": .double(37), "hours_toil": .double(2), "supervision": .string("held"), "supervision_minutes": .int(60),
                          "supervision_uninterrupted": .string("no"), "lunch_break": .string("partly"), "newly_qualified": .string("yes"),
                          "intending_to_leave": .string("yes")],
                 links: [recording], lastWeek: false, supervisionWeeksAgo: 0),
        ],
        "Cara": [
            Note(text: "Caseload 29 since two leavers were not replaced; supervision cancelled again.",
                 fields: ["caseload": .int(29), "supervision": .string("cancelled"), "hours_worked": .double(45), "hours_paid": .double(37)],
                 links: [doncaster, supervision], lastWeek: true),
            Note(text: "Two referrals screened with no qualified social worker on duty; 12 cases waiting in the team.",
                 fields: ["unallocated_cases": .int(12)], links: [frontDoor], lastWeek: false),
            Note(text: "Recording took 10 hours this week. Ninety minutes of supervision, uninterrupted. No lunch break; 3.5 hours taken back.",
                 fields: ["hours_recording": .double(10), "unallocated_cases": .int(12), "caseload_families": .int(13), "hours_toil": .double(3.5),
                          "supervision": .string("held"), "supervision_minutes": .int(90), "supervision_uninterrupted": .string("yes"),
                          "lunch_break": .string("not_taken"), "newly_qualified": .string("yes"), "intending_to_leave": .string("yes")],
                 links: [recording], lastWeek: false, supervisionWeeksAgo: 0),
        ],
    ]

    let now: Date

    var thisWeek: String { ISOWeek(date: now).description }
    var lastWeek: String { ISOWeek(date: now.addingTimeInterval(-7 * 86_400)).description }

    /// The day `weeks` whole weeks before `now` (less one more week for a note about last week),
    /// as `YYYY-MM-DD`: in the ISO week exactly that many weeks before the note's.
    func day(weeksBefore weeks: Int, lastWeek: Bool) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: now.addingTimeInterval(-Double(weeks + (lastWeek ? 1 : 0)) * 7 * 86_400))
    }

    /// Writes `note` on `store` (with its `week` field), links it, and returns its id.
    func write(_ note: Note, on store: Store) throws -> EntityID {
        var fields = note.fields
        fields["week"] = .string(note.lastWeek ? lastWeek : thisWeek)
        if let weeks = note.supervisionWeeksAgo { fields["supervision_date"] = .string(day(weeksBefore: weeks, lastWeek: note.lastWeek)) }
        let id = try store.addNote(text: note.text, tags: ["workload"], fields: fields)
        for finding in note.links { try store.link(note: id, to: finding) }
        return id
    }

    /// Shares a note as `share --yes` does, sealed to the device's reps, and returns the record
    /// and its preview.
    func share(_ note: EntityID, on device: DemoDevice) throws -> (record: EvidenceRecord, preview: EvidencePreview) {
        let store = device.store
        let catalog = try store.findingsCatalog()
        let source = try store.note(note)
        let adapter = try device.evidence()
        let record = try FindingsFailure.map { () throws(FindingsError) in try Evidence.record(from: source, catalog: catalog) }
        try FindingsFailure.map { () throws(FindingsError) in _ = try adapter.addEvidence(record) }
        let reps = try device.trust.peers().filter(\.isRep).map(\.name)
        return (record, Evidence.preview(record, sealedFor: reps, catalog: catalog))
    }

    /// The rep's report, as `report` builds it from her store.
    func report(on device: DemoDevice) throws -> Report {
        let catalog = try device.store.findingsCatalog()
        let adapter = try device.evidence()
        return try FindingsFailure.map { () throws(FindingsError) in
            try Report.build(records: adapter.evidenceRecords(), catalog: catalog)
        }
    }
}
