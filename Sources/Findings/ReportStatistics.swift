/// The figures of a report cell, each its own type. What each measures is said in the report's
/// method statement (`ReportFigure.definition`); how each is held back, in `Report+Figures.swift`.

/// Caseload figures for a cell, from at least the report's `minReporters` people. Percentiles
/// interpolate linearly between the closest ranks (Hyndman & Fan type 7, the default of R, NumPy
/// and spreadsheets' PERCENTILE.INC). No maximum: it is always one person's figure. Used for
/// children, for children per full-time equivalent and, separately, for families: the children
/// and the families are never added.
public struct CaseloadSummary: Sendable, Hashable, Codable {
    public var records: Int
    public var reporters: Int
    public var median: Double
    /// Only from `Report.percentileReporters` people or more: above the median, fewer people
    /// would let the figure come close to one person's.
    public var p90: Double?
}

/// Hours added up over the records that give them: unpaid hours (hours worked − hours paid,
/// never below 0), and, beside them, hours taken back in lieu.
public struct HoursSummary: Sendable, Hashable, Codable {
    public var records: Int
    public var reporters: Int
    public var total: Double
    public var mean: Double
}

/// The name unpaid hours had before time off in lieu was counted beside them.
public typealias UnpaidHoursSummary = HoursSummary

/// How many records say supervision was held, cancelled or not scheduled.
public struct SupervisionSummary: Sendable, Hashable, Codable {
    public var records: Int
    public var reporters: Int
    public var held: Int
    public var cancelled: Int
    public var notScheduled: Int

    enum CodingKeys: String, CodingKey {
        case records, reporters, held, cancelled
        case notScheduled = "not_scheduled"
    }
}

/// Time recording against direct work: BASW's 80-20 campaign measures the share of a social
/// worker's time spent on records and systems rather than with children and families.
public struct RecordingSummary: Sendable, Hashable, Codable {
    public var records: Int
    public var reporters: Int
    public var recordingHours: Double
    public var directHours: Double
    /// Recording hours over recording and direct hours together, 0…1.
    public var recordingShare: Double

    enum CodingKeys: String, CodingKey {
        case records, reporters
        case recordingHours = "recording_hours"
        case directHours = "direct_hours"
        case recordingShare = "recording_share"
    }
}

/// The median of a figure that does not add up across people: supervision minutes, and the
/// team's unallocated cases (every member of a team reports the same count).
public struct MedianSummary: Sendable, Hashable, Codable {
    public var records: Int
    public var reporters: Int
    public var median: Double
}

/// A figure judged against a standard: of the `judged` units, how many meet it. A unit is a
/// person-month for supervision within a month (each person's last record of the month), and a
/// session for full supervision sessions.
public struct ShareSummary: Sendable, Hashable, Codable {
    /// Weekly records drawn on.
    public var records: Int
    public var reporters: Int
    public var judged: Int
    public var meeting: Int
    /// `meeting` over `judged`, 0…1.
    public var share: Double

    public init(records: Int, reporters: Int, judged: Int, meeting: Int) {
        self.records = records
        self.reporters = reporters
        self.judged = judged
        self.meeting = meeting
        share = judged > 0 ? Double(meeting) / Double(judged) : 0
    }
}

/// How many gave each answer to a question with a few answers: weekly records for lunch breaks,
/// people (each one's latest answer) for intending to leave. Every answer is listed, 0 included.
public struct AnswerSummary: Sendable, Hashable, Codable {
    /// Weekly records drawn on.
    public var records: Int
    public var reporters: Int
    public var answers: [String: Int]

    /// How many answered at all.
    public var answered: Int { answers.values.reduce(0, +) }

    /// The share that gave `answer`, 0…1.
    public func share(_ answer: String) -> Double {
        answered > 0 ? Double(answers[answer] ?? 0) / Double(answered) : 0
    }
}

/// The figures of one report cell. Each is drawn only from months where at least `minReporters`
/// people gave it (`Report+Figures.swift`); a figure that had values here but none that could
/// be shown is nil and named in `heldBack`.
public struct CellStatistics: Sendable, Hashable, Codable {
    /// Person-weeks: one record per person per week.
    public var records: Int
    /// Distinct people.
    public var reporters: Int
    /// Children allocated.
    public var caseload: CaseloadSummary?
    /// Children allocated per full-time equivalent, the census's measure (`EvidenceMetrics.caseloadPerFTE`).
    public var caseloadPerFTE: CaseloadSummary? = nil
    public var unpaidHours: HoursSummary?
    public var supervision: SupervisionSummary?
    /// Hours recording against hours of direct work, from the records that give both.
    public var recording: RecordingSummary? = nil
    public var supervisionMinutes: MedianSummary? = nil
    public var unallocatedCases: MedianSummary? = nil
    /// Families allocated, apart from `caseload`.
    public var caseloadFamilies: CaseloadSummary? = nil
    /// Hours taken back in lieu, beside `unpaidHours`.
    public var toilHours: HoursSummary? = nil
    public var supervisionWithinMonth: ShareSummary? = nil
    /// The same, for newly qualified workers alone.
    public var supervisionWithinMonthNewlyQualified: ShareSummary? = nil
    /// Sessions uninterrupted and at least 90 minutes long.
    public var supervisionFullSessions: ShareSummary? = nil
    public var lunchBreak: AnswerSummary? = nil
    public var intendingToLeave: AnswerSummary? = nil
    /// The figures held back in this cell (`caseload`, `unpaid_hours`, `supervision`, …).
    public var heldBack: [String]

    enum CodingKeys: String, CodingKey {
        case records, reporters, caseload, supervision, recording
        case caseloadPerFTE = "caseload_fte"
        case unpaidHours = "unpaid_hours"
        case supervisionMinutes = "supervision_minutes"
        case unallocatedCases = "unallocated_cases"
        case caseloadFamilies = "caseload_families"
        case toilHours = "hours_toil"
        case supervisionWithinMonth = "supervision_within_month"
        case supervisionWithinMonthNewlyQualified = "supervision_within_month_newly_qualified"
        case supervisionFullSessions = "supervision_full_sessions"
        case lunchBreak = "lunch_break"
        case intendingToLeave = "intending_to_leave"
        case heldBack = "held_back"
    }
}
