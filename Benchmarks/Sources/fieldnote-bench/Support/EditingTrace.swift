import Foundation

/// A recorded editing session in the editing-traces format:
/// `{startContent, endContent, txns: [{patches: [[position, deleteCount, insertedText]]}]}`,
/// flattened into edits before anything is timed.
struct EditingTrace: Decodable {
    struct Edit: Decodable {
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

    private struct Transaction: Decodable {
        var patches: [Edit]
    }

    var startContent: String
    var endContent: String
    private var txns: [Transaction]

    var edits: [Edit] { txns.flatMap(\.patches) }

    static let fileName = "automerge-paper.json.gz"

    /// The history `times` times over in one document, each copy typed after the text the copies
    /// before it left: the concatenated histories of the scaling measurements, `times` × the
    /// edits and `times` × the final text. Needs an empty start (the automerge-paper trace has one).
    func repeated(_ times: Int) -> EditingTrace? {
        guard times > 1 else { return self }
        guard startContent.isEmpty else { return nil }
        let length = endContent.unicodeScalars.count
        var copy = self
        copy.endContent = String(repeating: endContent, count: times)
        copy.txns = (0..<times).flatMap { round in
            txns.map { transaction in
                Transaction(patches: transaction.patches.map { edit in
                    var shifted = edit
                    shifted.position += round * length
                    return shifted
                })
            }
        }
        return copy
    }

    /// `--trace`, else `FIELDNOTE_TRACE`, else the shared data folder beside the repository
    /// (found from this source file, then from the working directory). Nil when none exists.
    static func locate(explicit: String?) -> URL? {
        if let explicit { return FileManager.default.fileExists(atPath: explicit) ? URL(fileURLWithPath: explicit) : nil }
        if let path = ProcessInfo.processInfo.environment["FIELDNOTE_TRACE"], !path.isEmpty {
            return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<5 { root.deleteLastPathComponent() }  // Support, fieldnote-bench, Sources, Benchmarks, the file
        let relative = "../shared/data/editing-traces/\(fileName)"
        let candidates = [
            root.appendingPathComponent(relative),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative),
        ]
        return candidates.map(\.standardized).first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Decompresses with the system's gzip and decodes; a path not ending in `.gz` is read as
    /// plain JSON (useful under valgrind, which cannot run the gzip child process).
    static func load(from url: URL) throws -> EditingTrace {
        if url.pathExtension != "gz" { return try JSONDecoder().decode(EditingTrace.self, from: Data(contentsOf: url)) }
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
