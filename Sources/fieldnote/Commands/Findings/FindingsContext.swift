import ArgumentParser
import Findings
import Foundation
import Storage

extension Store {
    /// The findings this device knows: the built-in catalog plus the user findings in its store.
    func findingsCatalog() throws -> FindingsCatalog {
        try FindingsFailure.map { () throws(FindingsError) in
            try FindingsCatalog(userFindings: StoreFindingsAdapter(store: self).userFindings())
        }
    }

    var findingsAdapter: StoreFindingsAdapter { StoreFindingsAdapter(store: self) }
}

/// Turns the findings component's errors into the client's one line on stderr and exit status.
///
/// `CommandFailure.from` knows the store's, SyncCore's and the transport's errors; the findings
/// component's are mapped here, where they are met, so every command that calls it reports the
/// same way: unknown finding ids are "not found" (3), refused values (a finding, an import file,
/// an excerpt, a report parameter) are "invalid value" (4), and a failing store is general (1).
enum FindingsFailure {
    static func map<T>(_ body: () throws(FindingsError) -> T) throws -> T {
        do { return try body() } catch { throw failure(error) }
    }

    static func failure(_ error: FindingsError) -> CommandFailure {
        let status: ExitStatus = switch error.code {
        case .unknownFinding: .notFound
        case .storage: .general
        default: .invalidValue
        }
        return CommandFailure(CommandFailure.oneLine(error.message), status: status)
    }

    /// An import refused: every bad row with its line number, on one line.
    static func failure(_ error: FindingsImportError) -> CommandFailure {
        let count = error.issues.count
        let rows = error.issues.map(\.description).joined(separator: "; ")
        return CommandFailure(CommandFailure.oneLine("nothing imported: \(count) problem\(count == 1 ? "" : "s"): \(rows)"),
                              status: .invalidValue)
    }
}

extension FindingCategory: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased().replacingOccurrences(of: "-", with: "_")) }
}

extension Report.Format: ExpressibleByArgument {}
