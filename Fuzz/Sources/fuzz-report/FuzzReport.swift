import Findings
import Foundation
import SyncCore

/// libFuzzer entry point: the bytes are read as evidence records, as a peer's ops could leave
/// them in a store (any field of any type and value, any week text, tags and finding ids) or as
/// made in memory (any integer, any double, any week numbers). The report over them must build
/// and render in every format; its JSON must parse, with every figure finite and not negative;
/// its CSV must parse back with no cell a spreadsheet would run as a formula.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReport(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var input = FuzzInput(bytes: UnsafeBufferPointer(start: data, count: size))
    var records: [EvidenceRecord] = []
    var refused = 0
    while !input.isEmpty, records.count + refused < 64 {
        if input.byte() & 1 == 0 {
            do { records.append(try input.storedRecord()) } catch { refused += 1 }
        } else {
            let record = input.madeRecord()
            _ = Evidence.preview(record, catalog: fuzzCatalog)
            records.append(record)
        }
    }
    let report: Report
    do {
        report = try Report.build(records: records, refused: refused, minReporters: 3 + Int(input.byte() % 4), catalog: fuzzCatalog)
    } catch {
        fatalError("a report with a valid --min-reporters was refused: \(error)")
    }
    checkJSON(report)
    checkCSV(report)
    precondition(report.render(.markdown).hasPrefix("# Workload evidence report"))
    precondition(report.render(.html).hasSuffix("</html>\n"))
    return 0
}

let fuzzCatalog = try! FindingsCatalog()

func checkJSON(_ report: Report) {
    guard let object = try? JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any] else {
        fatalError("the JSON report does not parse")
    }
    precondition(object["refused_records"] as? Int == report.refusedRecords)
    for cell in [report.total] + report.categories + report.findings + report.months {
        guard let figures = cell.statistics else { continue }
        let numbers = [figures.caseload?.median, figures.caseload?.p90 ?? nil, figures.caseloadFamilies?.median,
                       figures.unpaidHours?.total, figures.unpaidHours?.mean, figures.toilHours?.total].compactMap { $0 }
        precondition(numbers.allSatisfy { $0.isFinite && $0 >= 0 }, "a figure out of range: \(numbers)")
        let shares = [figures.supervisionWithinMonth, figures.supervisionWithinMonthNewlyQualified, figures.supervisionFullSessions]
        precondition(shares.compactMap { $0 }.allSatisfy { (0...1).contains($0.share) }, "a share out of range")
    }
}

func checkCSV(_ report: Report) {
    guard let rows = try? CSV.parse(report.render(.csv)) else { fatalError("the CSV report does not parse") }
    for field in rows.flatMap(\.fields) {
        guard let first = field.unicodeScalars.first else { continue }
        precondition(!"=+-@\t\r".unicodeScalars.contains(first), "a CSV cell starts like a formula: \(field)")
    }
}

/// Reads values off the fuzzer's bytes; past the end every read gives zero or empty.
struct FuzzInput {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    var isEmpty: Bool { offset >= bytes.count }

    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func word() -> UInt64 {
        (0..<8).reduce(0) { value, _ in value << 8 | UInt64(byte()) }
    }

    /// Up to 255 bytes, as UTF-8 with invalid sequences replaced.
    mutating func text() -> String {
        let count = min(Int(byte()), bytes.count - min(offset, bytes.count))
        defer { offset += count }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<(offset + count)]), as: UTF8.self)
    }

    static let edgeNumbers: [Double] = [0, -0.0, 168, 168.000_001, 200, 201, -1, 1e300, -1e300, .greatestFiniteMagnitude,
                                        .leastNonzeroMagnitude, .nan, .infinity, -.infinity, 9.3e18]

    mutating func value() -> FieldValue {
        switch byte() % 7 {
        case 0: .null
        case 1: .bool(byte() & 1 == 1)
        case 2: .int(Int64(bitPattern: word()))
        case 3: .int(Int64(Int8(bitPattern: byte())) * 50)
        case 4: .double(Double(bitPattern: word()))
        case 5: .double(Self.edgeNumbers[Int(byte()) % Self.edgeNumbers.count])
        default: .string(text())
        }
    }

    mutating func weekText() -> String {
        byte() & 1 == 0 ? text() : "\(1990 + Int(byte()) % 130)-W\(Int(byte()) % 60)"
    }

    mutating func findingID() -> String {
        let known = fuzzCatalog.findings
        return byte() & 1 == 0 ? known[Int(byte()) % known.count].id : text()
    }

    /// A record as a store would read it from a peer's fields, tags, links and text.
    mutating func storedRecord() throws(FindingsError) -> EvidenceRecord {
        var fields: [String: FieldValue] = ["week": .string(weekText())]
        // One bit a field: the shared keys and a note's supervision date (16 in all).
        let present = UInt16(byte()) << 8 | UInt16(byte())
        for (index, key) in (EvidenceMetrics.keys + ["supervision_date"]).enumerated() where present & (1 << UInt16(index)) != 0 {
            fields[key] = value()
        }
        if byte() & 1 == 1 { fields["week"] = value() }
        let tags = (0..<byte() % 4).map { _ in FindingCategory.allCases[Int(byte()) % FindingCategory.allCases.count].rawValue }
        let links = (0..<byte() % 4).map { _ in findingID() }
        return try EvidenceRecord(fields: fields, tags: tags + [text()], links: links, text: text(), reporter: "device-\(byte() % 6)")
    }

    /// A record made in memory with any typed value.
    mutating func madeRecord() -> EvidenceRecord {
        var week = ISOWeek(date: Date(timeIntervalSince1970: 1_772_625_600))
        week.year = Int(truncatingIfNeeded: word())
        week.week = Int(Int8(bitPattern: byte()))
        var supervised = week
        supervised.week = Int(Int8(bitPattern: byte()))
        let metrics = EvidenceMetrics(
            caseload: Int(truncatingIfNeeded: word()), caseloadFamilies: Int(truncatingIfNeeded: word()),
            hoursWorked: Double(bitPattern: word()), hoursPaid: value().number, hoursToil: value().number,
            hoursRecording: value().number, hoursDirect: value().number, supervision: .held,
            supervisionMinutes: Int(truncatingIfNeeded: word()), supervisionUninterrupted: byte() & 1 == 1, supervisionWeek: supervised,
            newlyQualified: byte() & 1 == 1, unallocatedCases: Int(Int8(bitPattern: byte())),
            lunchBreak: LunchBreak.allCases[Int(byte()) % 3], intendingToLeave: LeavingIntention.allCases[Int(byte()) % 3])
        return EvidenceRecord(week: week, metrics: metrics, categories: [.caseloadWorkload], findings: [findingID()],
                              excerpt: text(), reporter: "device-\(byte() % 6)")
    }
}

extension FieldValue {
    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
