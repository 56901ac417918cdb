import Foundation

/// A recorded editing session (Kleppmann's automerge-paper trace) in the editing-traces format:
/// `{startContent, endContent, txns: [{patches: [[position, deleteCount, insertedText]]}]}`.
///
/// The trace lives beside the repository, never in it; tests that need it skip when it is absent.
struct EditingTrace: Decodable {
    struct Patch: Decodable {
        var position: Int
        var deleteCount: Int
        var inserted: String

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            position = try container.decode(Int.self)
            deleteCount = try container.decode(Int.self)
            inserted = try container.decode(String.self)
        }
    }

    struct Transaction: Decodable {
        var patches: [Patch]
    }

    var startContent: String
    var endContent: String
    var txns: [Transaction]

    var patches: [Patch] { txns.flatMap(\.patches) }

    /// `FIELDNOTE_TRACE`, or the shared data folder next to the package root.
    static var url: URL? {
        if let path = ProcessInfo.processInfo.environment["FIELDNOTE_TRACE"], !path.isEmpty {
            return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidate = packageRoot.appendingPathComponent("../shared/data/editing-traces/automerge-paper.json.gz").standardized
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }

    static let absentMessage =
        "editing trace not found: set FIELDNOTE_TRACE or put automerge-paper.json.gz in ../shared/data/editing-traces/"

    /// Decompresses with the system's gzip and decodes.
    static func load(from url: URL) throws -> EditingTrace {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return try JSONDecoder().decode(EditingTrace.self, from: data)
    }
}
