/// A national figure a report sets beside its own, cited like a finding: the words as seen in
/// the source, and where they were verified.
public struct Benchmark: Sendable, Hashable, Codable {
    /// The report figure it stands beside: `caseload_fte`, `caseload` or `supervision_minutes`.
    public var figure: String
    public var value: Double
    /// The year the national figure measures (the census's year to 30 September), when it has
    /// one: not the year it was published, which for the census is the year after.
    public var year: Int? = nil
    /// What the value is, in a few words.
    public var label: String
    public var quote: String
    public var source: String
    public var verifiedIn: String

    enum CodingKeys: String, CodingKey {
        case figure, value, year, label, quote, source
        case verifiedIn = "verified_in"
    }

    /// The benchmarks every report carries. Only figures whose words were verified in their
    /// source (`findings-verification`, section 5: the DfE releases and the LGA standard). The
    /// DfE averages are per case-holding FTE, so they stand beside the caseload per FTE, one a
    /// year, oldest first. (2023's 16.0 is left out: no DfE sentence giving it was verified.)
    public static let national: [Benchmark] = [
        Benchmark(censusAverage: 16.9, year: 2019, citing: "dfe-workforce-2019-average-caseload"),
        Benchmark(censusAverage: 16.3, year: 2020, citing: "dfe-workforce-2020-average-caseload"),
        Benchmark(
            figure: "supervision_minutes", value: 90,
            label: "minutes of uninterrupted supervision, at least monthly (LGA Standards for Employers, standard 5)",
            quote: "lasts for an uninterrupted duration of at least an hour and a half",
            source: "Local Government Association, Standards for Employers of Social Workers in England (2020), Standard 5, https://www.local.gov.uk/our-support/workforce-and-hr-support/social-workers/standards-employers-social-workers-england-4",
            verifiedIn: "Local Government Association, https://www.local.gov.uk/our-support/workforce-and-hr-support/social-workers/standards-employers-social-workers-england-4"),
    ]

    /// The report's own figure this benchmark stands beside, if the report shows it.
    func reportFigure(in statistics: CellStatistics?) -> Double? {
        switch ReportFigure(rawValue: figure) {
        case .caseloadPerFTE: statistics?.caseloadPerFTE?.median
        case .caseload: statistics?.caseload?.median
        case .supervisionMinutes: statistics?.supervisionMinutes?.median
        default: nil
        }
    }

    /// How the report names its own figure beside this one.
    var reportFigureName: String {
        switch ReportFigure(rawValue: figure) {
        case .caseloadPerFTE: "Median caseload per FTE here (children, scaled to a \(Report.number(Report.fullTimeWeeklyHours))-hour week)"
        case .caseload: "Median caseload here"
        case .supervisionMinutes: "Median supervision here, in minutes"
        default: "Median \(figure) here"
        }
    }
}

extension Benchmark {
    /// A DfE census average caseload, beside the caseload per FTE, cited from the built-in
    /// finding that holds the release's sentence: its words, source and where they were verified
    /// are the catalog's, so a benchmark never quotes words the catalog's checks have not held to.
    init(censusAverage value: Double, year: Int, citing findingID: String) {
        guard let finding = FindingsCatalog.builtIn.first(where: { $0.id == findingID }), let verifiedIn = finding.verifiedIn else {
            // The catalog is a literal in this module; the report tests cite every benchmark.
            preconditionFailure("no verified built-in finding \(findingID) for a benchmark")
        }
        self.init(figure: ReportFigure.caseloadPerFTE.rawValue, value: value, year: year,
                  label: "average caseload per case-holding full-time equivalent (FTE) children and family social worker, England, \(year) (DfE workforce census)",
                  quote: finding.quote, source: finding.source, verifiedIn: verifiedIn)
    }
}
