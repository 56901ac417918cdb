import Findings
import Foundation
import Testing

/// Every input the findings-import fuzz target ever crashed on (Tests/Fixtures/fuzz-crashes), and
/// its seed corpus, replayed on every test run: the parser must refuse the file with
/// `FindingsImportError` or return findings that, written back as CSV, parse to the same findings.
/// The first byte of each input picks the format (even: JSON, odd: CSV), as in the fuzz target.
@Suite("Fuzz crash replay: findings import")
struct FindingsImportCrashReplayTests {
    @Test func findingsImportInputsAreRefusedOrRoundTrip() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = ["Tests/Fixtures/fuzz-crashes/fuzz-findings-import", "Fuzz/corpus/fuzz-findings-import"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)) ?? [])
                .filter { !$0.lastPathComponent.hasPrefix(".") }
        }
        #expect(!files.isEmpty, "the fuzz corpus is missing")
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var imported = 0
        for file in files {
            let input = try Data(contentsOf: file)
            guard let first = input.first else { continue }
            let format: FindingsImport.Format = first & 1 == 0 ? .json : .csv
            guard let findings = try? FindingsImport.parse(data: Data(input.dropFirst()), format: format, now: now) else { continue }
            imported += findings.count
            let columns = ["id", "title", "publisher", "authority", "published", "category", "quote", "summary", "source", "quoted_in"]
            let rows = [columns] + findings.map {
                [$0.id, $0.title, $0.publisher, $0.authority, $0.published, $0.category.rawValue, $0.quote, $0.summary, $0.source, $0.quotedIn ?? ""]
            }
            let again = try FindingsImport.parse(data: Data(CSV.write(rows).utf8), format: .csv, now: now)
            #expect(again == findings, "\(file.lastPathComponent) does not round-trip")
        }
        #expect(imported > 0, "no seed imported: the corpus no longer exercises the success path")
    }
}
