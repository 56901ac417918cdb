/// What one figure of a report measures, as the method statement says it.
public struct FigureDefinition: Sendable, Hashable, Codable {
    /// The figure's key, as in `held_back` and the JSON statistics.
    public var figure: String
    public var name: String
    public var definition: String
}

/// How a report's figures were made: a few sentences, then every figure's definition. Carried in
/// every format, so that a reader of the CSV or the JSON alone can tell what a number means.
public struct ReportMethod: Sendable, Hashable, Codable {
    public var statement: String
    public var definitions: [FigureDefinition]

    /// The method every report follows.
    public static let standard = ReportMethod(
        statement: "Figures are self-reported by members who chose to share them, one record per person per week (a week shared again replaces the earlier record). "
            + "Weeks count in the month of their Thursday. A figure is a median, total or share only of the people who gave it. "
            + "No health or sickness data is asked for or shared.",
        definitions: ReportFigure.allCases.map { FigureDefinition(figure: $0.rawValue, name: $0.name, definition: $0.definition) })
}

extension Report {
    /// The method statement in one paragraph, as the CSV's method row and the text formats open it.
    var methodNote: String { method.statement }
}
