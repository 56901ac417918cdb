import Findings
import Foundation

/// libFuzzer entry point: the first byte picks JSON or CSV, the rest is the file. The parser must
/// return findings or throw `FindingsImportError`; findings it returns, written back as CSV,
/// parse to the same findings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFindingsImport(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let format: FindingsImport.Format = data[0] & 1 == 0 ? .json : .csv
    let file = Data(bytes: data + 1, count: size - 1)
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    guard let findings = try? FindingsImport.parse(data: file, format: format, now: now) else { return 0 }
    let columns = ["id", "title", "publisher", "authority", "published", "category", "quote", "summary", "source", "quoted_in"]
    let rows = [columns] + findings.map { finding in
        [finding.id, finding.title, finding.publisher, finding.authority, finding.published, finding.category.rawValue,
         finding.quote, finding.summary, finding.source, finding.quotedIn ?? ""]
    }
    let again: [Finding]
    do { again = try FindingsImport.parse(data: Data(CSV.write(rows).utf8), format: .csv, now: now) } catch {
        fatalError("imported findings written as CSV are refused: \(error)")
    }
    precondition(again == findings, "imported findings do not round-trip through CSV")
    return 0
}
