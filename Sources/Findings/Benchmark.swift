/// A national figure a report sets beside its own, cited like a finding: the words as seen in
/// the source, and where they were verified.
public struct Benchmark: Sendable, Hashable, Codable {
    /// The report figure it stands beside: `caseload` or `supervision_minutes`.
    public var figure: String
    public var value: Double
    /// What the value is, in a few words.
    public var label: String
    public var quote: String
    public var source: String
    public var verifiedIn: String

    enum CodingKeys: String, CodingKey {
        case figure, value, label, quote, source
        case verifiedIn = "verified_in"
    }

    /// The benchmarks every report carries. Only figures whose words were verified in their
    /// source (`findings-verification`, section 5: the DfE release and the LGA standard).
    public static let national: [Benchmark] = [
        Benchmark(
            figure: "caseload", value: 16.3,
            label: "average caseload per children and family social worker, England, 2020 (DfE workforce census)",
            quote: "The average caseload per children and family social worker fell to 16.3 in 2020, down from 16.9 in 2019.",
            source: "Department for Education, Children's social work workforce, reporting year 2020 (published 25 February 2021), https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce/2020",
            verifiedIn: "Department for Education, https://explore-education-statistics.service.gov.uk/find-statistics/children-s-social-work-workforce/2020"),
        Benchmark(
            figure: "supervision_minutes", value: 90,
            label: "minutes of uninterrupted supervision, at least monthly (LGA Standards for Employers, standard 5)",
            quote: "lasts for an uninterrupted duration of at least an hour and a half",
            source: "Local Government Association, Standards for Employers of Social Workers in England (2020), Standard 5, https://www.local.gov.uk/our-support/workforce-and-hr-support/social-workers/standards-employers-social-workers-england-4",
            verifiedIn: "Local Government Association, https://www.local.gov.uk/our-support/workforce-and-hr-support/social-workers/standards-employers-social-workers-england-4"),
    ]

    /// The report's own figure this benchmark stands beside, if the report shows it.
    func reportFigure(in statistics: CellStatistics?) -> Double? {
        switch figure {
        case "caseload": statistics?.caseload?.median
        case "supervision_minutes": statistics?.supervisionMinutes?.median
        default: nil
        }
    }
}
