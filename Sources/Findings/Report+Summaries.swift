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

extension FigureSettlement {
    func recording(_ members: Set<Int>) -> RecordingSummary? {
        let pairs = members.compactMap { index -> (Double, Double)? in
            guard let recording = records[index].metrics.hoursRecording, let direct = records[index].metrics.hoursDirect else { return nil }
            return (recording, direct)
        }
        guard !pairs.isEmpty else { return nil }
        let recording = pairs.map(\.0).reduce(0, +), direct = pairs.map(\.1).reduce(0, +)
        return RecordingSummary(records: pairs.count, reporters: people(members), recordingHours: recording, directHours: direct,
                                recordingShare: recording + direct > 0 ? recording / (recording + direct) : 0)
    }

    func median(_ members: Set<Int>, of value: (EvidenceMetrics) -> Double?) -> MedianSummary? {
        let values = members.compactMap { value(records[$0].metrics) }.sorted()
        guard !values.isEmpty else { return nil }
        return MedianSummary(records: values.count, reporters: people(members), median: Report.percentile(values, 0.5))
    }
}
