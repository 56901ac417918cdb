/// The documented set of categories a published finding (and the evidence citing it) falls under.
///
/// One set, used by the catalog, by `findings add` and by reports, so that a report can count
/// evidence per category across every member's device.
public enum FindingCategory: String, CaseIterable, Sendable, Codable {
    case workforce
    case supervision
    case thresholds
    case caseloadWorkload = "caseload_workload"
    case allocation
    case frontDoor = "front_door"
    case managementOversight = "management_oversight"
    case recordingIT = "recording_it"
    case voiceOfChild = "voice_of_child"
    case recruitmentRetention = "recruitment_retention"
    case wellbeingSickness = "wellbeing_sickness"
    case blameCulture = "blame_culture"

    /// What the category covers, for `findings list --help` and report headings.
    public var summary: String {
        switch self {
        case .workforce: "Staffing levels, agency reliance, experience mix"
        case .supervision: "Frequency and quality of professional supervision"
        case .thresholds: "Consistency of thresholds for intervention"
        case .caseloadWorkload: "Caseload size and workload pressure"
        case .allocation: "Unallocated cases and delays in allocation"
        case .frontDoor: "Contact, referral and screening at the front door"
        case .managementOversight: "Management oversight of practice and decisions"
        case .recordingIT: "Recording burden and case management systems"
        case .voiceOfChild: "Whether children are seen, heard and recorded"
        case .recruitmentRetention: "Recruitment, retention and turnover"
        case .wellbeingSickness: "Stress, sickness and wellbeing of staff"
        case .blameCulture: "Blame directed at frontline staff"
        }
    }
}
