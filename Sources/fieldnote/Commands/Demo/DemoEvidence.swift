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
/// one, so the report has a trend.
struct DemoEvidence {
    /// A note the demo writes, links and shares.
    struct Note {
        var text: String
        var fields: [String: FieldValue]
        var links: [String]
        var lastWeek: Bool
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

    /// The workers' other workload notes, by worker, each already linked.
    static let notes: [String: [Note]] = [
        "Asha": [
            Note(text: "Week total: 9 hours on recording, 6 hours of direct work, 44 hours worked for 37 paid.",
                 fields: ["caseload": .int(31), "hours_recording": .double(9), "hours_direct": .double(6),
                          "hours_worked": .double(44), "hours_paid": .double(37)],
                 links: [recording, caseloads], lastWeek: false),
        ],
        "Ben": [
            Note(text: "Strategy meeting moved twice; no manager free to sign off the plan. Caseload 27.",
                 fields: ["caseload": .int(27), "supervision": .string("not_scheduled")],
                 links: [caseloads, supervision], lastWeek: true),
            Note(text: "Week total: 11 hours on recording; 41 hours worked for 37 paid.",
                 fields: ["caseload": .int(27), "hours_recording": .double(11), "hours_worked": .double(41), "hours_paid": .double(37)],
                 links: [recording], lastWeek: false),
        ],
        "Cara": [
            Note(text: "Caseload 29 since two leavers were not replaced; supervision cancelled again.",
                 fields: ["caseload": .int(29), "supervision": .string("cancelled"), "hours_worked": .double(45), "hours_paid": .double(37)],
                 links: [doncaster, supervision], lastWeek: true),
            Note(text: "Recording took 10 hours this week.", fields: ["hours_recording": .double(10)],
                 links: [recording], lastWeek: false),
            Note(text: "Two referrals screened with no qualified social worker on duty; 12 cases waiting in the team.",
                 fields: ["unallocated_cases": .int(12)], links: [frontDoor], lastWeek: false),
        ],
    ]

    let now: Date

    var thisWeek: String { ISOWeek(date: now).description }
    var lastWeek: String { ISOWeek(date: now.addingTimeInterval(-7 * 86_400)).description }

    /// Writes `note` on `store` (with its `week` field), links it, and returns its id.
    func write(_ note: Note, on store: Store) throws -> EntityID {
        var fields = note.fields
        fields["week"] = .string(note.lastWeek ? lastWeek : thisWeek)
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
