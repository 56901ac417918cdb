import Foundation

/// The findings a device knows: the built-in catalog plus the findings its users added.
///
/// A value type: build it from the user findings held in the store (`FindingsStore.userFindings()`),
/// query it, and add to it through `adding(_:)` / `importing(_:)`, which check everything first and
/// change nothing on error. Persisting additions is the store's job (see `FindingsStore`).
///
/// ```swift
/// let catalog = try FindingsCatalog(userFindings: store.userFindings())
/// for finding in catalog.list(category: .caseloadWorkload) { print(finding.id, finding.title) }
/// let finding = try catalog.show("ofsted-worcestershire-2017-caseloads")
/// ```
public struct FindingsCatalog: Sendable {
    /// Where a finding came from.
    public enum Origin: String, Sendable, Codable {
        case builtIn = "built_in"
        case user
    }

    /// The built-in findings, in catalog order.
    public static let builtIn: [Finding] = {
        do {
            return try BuiltInCatalog.parts.flatMap { try JSONDecoder().decode([Finding].self, from: Data($0.utf8)) }
        } catch {
            // The catalog is a literal in this module; the catalog tests decode it on every run.
            preconditionFailure("the built-in findings catalog does not decode: \(error)")
        }
    }()

    public static let builtInIDs: Set<String> = Set(builtIn.map(\.id))

    /// Every finding, built-in first (catalog order), then user findings in the order added.
    public private(set) var findings: [Finding]
    private var index: [String: Int]

    /// The built-in catalog plus `userFindings`, each checked (`invalidFinding`) and unique (`duplicateFinding`).
    public init(userFindings: [Finding] = []) throws(FindingsError) {
        findings = FindingsCatalog.builtIn
        index = Dictionary(uniqueKeysWithValues: findings.enumerated().map { ($1.id, $0) })
        self = try adding(userFindings)
    }

    /// The finding with this id, or nil.
    public func finding(_ id: String) -> Finding? {
        index[id.lowercased()].map { findings[$0] }
    }

    public func origin(of id: String) -> Origin? {
        guard finding(id) != nil else { return nil }
        return FindingsCatalog.builtInIDs.contains(id.lowercased()) ? .builtIn : .user
    }

    /// The finding with this id; `unknownFinding`, naming near matches, when there is none.
    public func show(_ id: String) throws(FindingsError) -> Finding {
        if let finding = finding(id) { return finding }
        throw unknown(id)
    }

    /// The findings with these ids, in the order given; `unknownFinding` naming the first unknown one.
    public func resolve(_ ids: [String]) throws(FindingsError) -> [Finding] {
        try ids.map { (id) throws(FindingsError) -> Finding in try show(id) }
    }

    /// Findings, optionally of one category, newest publication first, then by id.
    public func list(category: FindingCategory? = nil) -> [Finding] {
        findings
            .filter { category == nil || $0.category == category }
            .sorted { ($0.published, $1.id) > ($1.published, $0.id) }
    }

    /// How many findings fall in each category (categories with none included, as 0).
    public func countsByCategory() -> [(category: FindingCategory, count: Int)] {
        FindingCategory.allCases.map { category in (category, findings.filter { $0.category == category }.count) }
    }

    /// A catalog with `new` added. Every finding is validated and must have an id not already
    /// taken (built in, user, or earlier in `new`); any problem refuses them all.
    public func adding(_ new: [Finding], now: Date = Date()) throws(FindingsError) -> FindingsCatalog {
        var problems: [String] = []
        var seen = Set(index.keys)
        var normalised: [Finding] = []
        for finding in new {
            var finding = finding
            finding.id = finding.id.lowercased()
            let own = finding.problems(now: now)
            if !own.isEmpty { problems.append("\(finding.id.isEmpty ? "(no id)" : finding.id): " + own.joined(separator: "; ")) }
            if seen.contains(finding.id) {
                let taken = FindingsCatalog.builtInIDs.contains(finding.id) ? "a built-in finding" : "another finding"
                problems.append("\(finding.id): the id is already used by \(taken)")
            }
            seen.insert(finding.id)
            normalised.append(finding)
        }
        guard problems.isEmpty else {
            let duplicateOnly = problems.allSatisfy { $0.contains("the id is already used") }
            throw FindingsError(duplicateOnly ? .duplicateFinding : .invalidFinding,
                                "nothing added: " + problems.joined(separator: " | "))
        }
        var copy = self
        for finding in normalised {
            copy.index[finding.id] = copy.findings.count
            copy.findings.append(finding)
        }
        return copy
    }

    /// `adding` for one finding.
    public func adding(_ finding: Finding, now: Date = Date()) throws(FindingsError) -> FindingsCatalog {
        try adding([finding], now: now)
    }

    /// User-added findings only.
    public var userFindings: [Finding] {
        findings.filter { !FindingsCatalog.builtInIDs.contains($0.id) }
    }

    private func unknown(_ id: String) -> FindingsError {
        let key = id.lowercased()
        let words = Set(key.split(separator: "-").map(String.init).filter { $0.count > 2 })
        let near = findings.map(\.id)
            .map { candidate -> (String, Int) in
                var score = candidate.hasPrefix(key) ? 10 : 0
                score += Set(candidate.split(separator: "-").map(String.init)).intersection(words).count
                return (candidate, score)
            }
            .filter { $0.1 > 0 }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            .prefix(3).map(\.0)
        var message = "unknown finding \"\(id)\""
        message += near.isEmpty ? "; `findings list` shows the ids" : "; did you mean \(near.joined(separator: ", "))?"
        return FindingsError(.unknownFinding, message)
    }
}
