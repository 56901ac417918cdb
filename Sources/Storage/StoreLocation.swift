import Foundation

/// Where a store lives on disk: `--store DIR`, else `$FIELDNOTE_HOME`, else `~/.fieldnote`.
public struct StoreLocation: Sendable, Equatable {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// Resolves the store directory the way every command does.
    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> StoreLocation {
        if let explicit, !explicit.isEmpty {
            return StoreLocation(directory: URL(fileURLWithPath: explicit, isDirectory: true))
        }
        if let home = environment["FIELDNOTE_HOME"], !home.isEmpty {
            return StoreLocation(directory: URL(fileURLWithPath: home, isDirectory: true))
        }
        let userHome = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return StoreLocation(directory: userHome.appendingPathComponent(".fieldnote", isDirectory: true))
    }

    /// The SQLite database file inside the store directory.
    public var databaseURL: URL { directory.appendingPathComponent("store.sqlite") }
}
