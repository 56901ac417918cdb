import Foundation
import Sealing
import Testing
import Storage
import SyncCore
@testable import Findings

/// Evidence records whose values no device would write, received from a peer: a peer's ops skip
/// the checks `share` makes, so reading them back has to hold up to any value they can carry.
@Suite("Reports over hostile values")
struct ReportHostileValuesTests {
    /// The fields of every record the hostile peer writes, before one of them is forged.
    static let peerMetrics = EvidenceMetrics(
        caseload: 30, caseloadFamilies: 12, hoursWorked: 41, hoursPaid: 37, hoursToil: 2, supervision: .held, supervisionMinutes: 60,
        supervisionUninterrupted: true, newlyQualified: true, unallocatedCases: 12,
        lunchBreak: .partly, intendingToLeave: .unsure, supervisedWithinMonth: true)

    /// A value no device writes, for each field a record carries. (NaN is not among them: the op
    /// codec refuses it on the wire, and SQLite cannot store it; NaN in fields is read by
    /// `ReportArbitraryValuesTests`.)
    static let hostileValues: [(key: String, value: FieldValue)] = [
        ("caseload", .double(1e300)), ("caseload", .int(.max)), ("caseload", .int(.min)), ("caseload", .int(-5)),
        ("caseload", .int(201)), ("caseload", .double(-1e300)), ("caseload", .double(.infinity)),
        ("caseload", .double(9.3e18)), ("caseload", .double(30.5)), ("caseload", .string("lots")), ("caseload", .bool(true)),
        ("hours_worked", .double(1e300)), ("hours_worked", .double(-.greatestFiniteMagnitude)), ("hours_paid", .double(-1e308)),
        ("hours_worked", .double(.infinity)), ("hours_worked", .double(-.infinity)),
        ("hours_worked", .int(.max)), ("hours_paid", .int(-1)),
        ("supervision_minutes", .int(.max)), ("supervision_minutes", .double(1e300)), ("unallocated_cases", .int(.min)),
        ("supervision", .string("maybe")), ("supervision", .string("\u{1B}]0;owned\u{07}")),
        ("week", .string("1900-W01")), ("week", .string("2026-W99")), ("week", .string("2021-W53")), ("week", .int(3)),
        ("caseload_families", .int(201)), ("caseload_families", .int(-1)), ("caseload_families", .double(1e300)),
        ("caseload_families", .string("12")), ("hours_toil", .double(168.5)), ("hours_toil", .double(-0.5)),
        ("hours_toil", .double(.infinity)), ("hours_toil", .int(.max)),
        ("supervised_within_month", .string("yes")), ("supervised_within_month", .int(1)), ("supervised_within_month", .string("2026-W08")),
        ("supervised_within_month", .string("2026-02-17")), ("supervised_within_month", .double(1)),
        ("supervision_uninterrupted", .string("maybe")), ("supervision_uninterrupted", .string("yes")), ("supervision_uninterrupted", .int(1)),
        ("newly_qualified", .string("\u{1B}[2J")), ("newly_qualified", .double(1)),
        ("lunch_break", .string("sometimes")), ("lunch_break", .int(3)),
        ("intending_to_leave", .string("definitely")), ("intending_to_leave", .string(String(repeating: "y", count: 10_000))),
    ]

    /// A rep's store holding three honest reporters' records (so cells are shown) and one record
    /// per entry of `forged` from a hostile peer, who seals JSON no honest device writes: the
    /// record's own with the forged value (written as its literal: `inf` too) in place of one
    /// field. Applied to the rep's store as a sync applies a peer's ops.
    static func repStore(_ forged: [(key: String, value: FieldValue)]) throws -> (store: TemporaryStore, union: TestRep) {
        let rep = try TemporaryStore(wallClock: { march2026 })
        let union = try TestRep()
        for (index, caseload) in [24, 31, 38].enumerated() {
            let worker = try TemporaryStore(wallClock: { march2026 + UInt64(index) })
            try union.member(worker.store).addEvidence(record("honest", caseload: caseload, worked: 40, paid: 37))
            try sync(.evidence, from: worker.store, to: rep.store)
        }
        let peer = try TemporaryStore(wallClock: { march2026 })
        let keys = try EvidenceKeys(personSecret: peer.store.personSecret(), reps: [union.key.publicKey], device: nil)
        for forgery in forged {
            var honest = record("peer")
            honest.metrics = peerMetrics
            let json = try forgedJSON(honest, forgery)
            let seed = try Digests.random(32)
            let key = try SigningKey(seed: seed)
            let author = SealedEvidence.replica(of: key.publicKey)
            let sealed = try SealedEvidence.seal(json: Array(json.utf8), month: ReportMonth(week: honest.week), author: author, keys: keys)
            _ = try peer.store.addSealedEvidence(Data(sealed).base64EncodedString(),
                                                 as: PseudonymousAuthor(replica: author, publicKey: key.publicKey, wallMillis: march2026) { try key.sign($0) },
                                                 keeping: seed)
        }
        try sync(.evidence, from: peer.store, to: rep.store)
        return (rep, union)
    }

    /// `record`'s shared JSON with `forgery.value` in place of its field (`week`, or a metric).
    static func forgedJSON(_ record: EvidenceRecord, _ forgery: (key: String, value: FieldValue)) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: record.sharedJSON) as? [String: Any])
        let placeholder = "FORGED-VALUE-HERE"
        if forgery.key == "week" {
            object["week"] = placeholder
        } else {
            var metrics = object["metrics"] as? [String: Any] ?? [:]
            metrics[forgery.key] = placeholder
            object["metrics"] = metrics
        }
        let literal: String = switch forgery.value {
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .string(let text): String(decoding: try JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
        case .null: "null"
        }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        return text.replacingOccurrences(of: "\"\(placeholder)\"", with: literal)
    }

    /// The report over `store`'s evidence, as the `report` command builds it, in every format.
    static func renderAll(_ store: Store, union: TestRep) throws -> (Report, [Report.Format: String]) {
        let evidence = try union.reading(store).evidence()
        let report = try Report.build(records: evidence.records, refused: evidence.refused, catalog: try FindingsCatalog())
        return (report, Dictionary(uniqueKeysWithValues: Report.Format.allCases.map { ($0, report.render($0)) }))
    }

    @Test("a peer's caseload of 1e300 renders in every format, the record left out and counted")
    func caseloadOf1e300RendersInEveryFormat() throws {
        let (rep, union) = try Self.repStore([("caseload", .double(1e300))])
        let (report, rendered) = try Self.renderAll(rep.store, union: union)
        #expect(report.refusedRecords == 1)
        #expect(report.total.statistics?.records == 3 && report.total.statistics?.caseload?.median == 31)
        for (format, text) in rendered {
            #expect(!text.contains("e+300") && !text.contains("1000000000000000"), "\(format) shows the forged figure")
        }
        #expect(rendered[.markdown]?.contains("1 evidence record was left out") == true)
        #expect(rendered[.html]?.contains("1 evidence record was left out") == true)
        #expect(rendered[.csv]?.contains("refused,records,") == true)
        let json = try #require(JSONSerialization.jsonObject(with: Data(rendered[.json]!.utf8)) as? [String: Any])
        #expect(json["refused_records"] as? Int == 1)
    }

    @Test("every value no device writes, in every field, is refused and the rest of the report stands")
    func everyHostileValueIsRefused() throws {
        let (rep, union) = try Self.repStore(Self.hostileValues)
        let (report, rendered) = try Self.renderAll(rep.store, union: union)
        #expect(report.refusedRecords == Self.hostileValues.count)
        let total = try #require(report.total.statistics)
        #expect(total.records == 3 && total.reporters == 3)
        #expect(total.caseload?.median == 31 && total.unpaidHours?.total == 9 && total.supervision == nil)
        #expect(rendered.values.allSatisfy { !$0.isEmpty })
        #expect(rendered[.markdown]?.contains("\(Self.hostileValues.count) evidence records were left out") == true)
    }

    @Test("an unforged record of the same peer is read as written")
    func theSamePeersHonestRecordIsKept() throws {
        let (rep, union) = try Self.repStore([("caseload", .int(30))])
        let (report, _) = try Self.renderAll(rep.store, union: union)
        #expect(report.refusedRecords == 0 && report.total.statistics?.records == 4)
        // Only the peer gave supervision and the standards' figures: one person's, held back.
        #expect(report.total.statistics?.supervision == nil && report.total.statistics?.heldBack == [
            "supervision", "supervision_minutes", "unallocated_cases", "caseload_families", "hours_toil", "supervision_within_month",
            "supervision_within_month_newly_qualified", "supervision_full_sessions", "lunch_break", "intending_to_leave",
        ])
    }

    /// Records made in memory (an import, a test, the demo) are held to the same limits.
    @Test func recordsBuiltInMemoryAreCheckedToo() throws {
        var records = [24, 31, 38].map { (caseload: Int) in record("r\(caseload)", caseload: caseload) }
        var huge = record("hostile", caseload: .max, worked: .infinity, paid: -.greatestFiniteMagnitude)
        huge.metrics.supervisionMinutes = .min
        var badWeek = record("hostile")
        badWeek.week.week = 99
        var manyFindings = record("hostile")
        manyFindings.findings = (0...EvidenceLimits.maximumFindings).map { "finding-\($0)" }
        var spacedID = record("hostile")
        spacedID.findings = ["=cmd|' /C calc'!A0"]
        var families = record("hostile")
        families.metrics.caseloadFamilies = .max
        var toil = record("hostile")
        toil.metrics.hoursToil = -.infinity
        records += [huge, badWeek, manyFindings, spacedID, families, toil]
        let report = try Report.build(records: records, refused: 2)
        #expect(report.refusedRecords == 8)
        #expect(report.total.statistics?.records == 3 && report.months.map(\.key) == ["2026-03"])
        for format in Report.Format.allCases { #expect(!report.render(format).isEmpty) }
        let memory = InMemoryFindingsStore()
        for record in records { try memory.addEvidence(record) }
        #expect(try memory.evidence().refused == 6)
    }

    @Test func aRecordDecadesAwayKeepsTheOtherMonths() throws {
        let records = ["a", "b", "c"].map { record($0, week: "2026-W10") } + [record("d", week: "2000-W01"), record("e", week: "2000-W09")]
        #expect(try Report.build(records: records).months.map(\.key) == ["2000-01", "2000-03", "2026-03"])
        let near = [record("a", week: "2026-W02"), record("b", week: "2026-W10")]
        #expect(try Report.build(records: near).months.map(\.key) == ["2026-01", "2026-02", "2026-03"], "gaps are filled")
    }

    /// `share` reads a note's fields the same way: a value only a peer can have set is refused
    /// with a message, not a crash.
    @Test func sharingANoteWithAPeersHostileFieldIsRefused() throws {
        let worker = try TemporaryStore(wallClock: { march2026 })
        let peer = try TemporaryStore(wallClock: { march2026 })
        let id = try peer.store.addNote(text: "Caseload up again.", fields: ["caseload": .int(30)])
        try receiveForged(.team, from: peer.store, to: worker.store) { payload in
            guard case .setField(let entity, "caseload", _, let pred) = payload else { return payload }
            return .setField(entity: entity, key: "caseload", value: .double(1e300), pred: pred)
        }
        let note = try worker.store.note(id)
        #expect(note.fields["caseload"] == .double(1e300))
        let error = #expect(throws: FindingsError.self) { try Evidence.record(from: note, catalog: try FindingsCatalog()) }
        #expect(error?.code == .invalidEvidence)
        #expect(error?.message.contains("caseload is 1e+300, which no device writes") == true, "\(String(describing: error))")
    }
}

/// Reports over arbitrary field values, a few thousand seeded draws: what the libFuzzer target
/// `fuzz-report` does with arbitrary bytes for as long as it is run, so that `swift test` covers it.
@Suite("Reports over arbitrary field values")
struct ReportArbitraryValuesTests {
    static let numbers: [Double] = [0, 1, 30, 168, 168.000_001, 200, 201, -1, -0.0, 0.05, 1e15, 9.3e18, 1e300, -1e300,
                                    .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, .nan, .infinity, -.infinity]
    static let integers: [Int64] = [0, 1, 30, 200, 201, 600, 10_000, -1, .max, .min, .max - 1, 1 << 53]
    static let words = ["", "held", "cancelled", "not_scheduled", "2026-W10", "2026-W11", "2020-W53", "2021-W53", "1900-W01",
                        "2099-W52", "9999-W01", "2026-W00", "2026-W-1", "1e300", "NaN", "lots", "\u{1B}[2J", "=1+1",
                        "yes", "no", "unsure", "taken", "partly", "not_taken", "2026-02-17", "2026-02-30"]
    static let links = ["ofsted-worcestershire-2017-caseloads", "swtf-2009-supervision-squeezed-out", "=HYPERLINK(\"http://x\")",
                        "<script>alert(1)</script>", "![x](http://x/a.png)", "`", "a b", "", String(repeating: "x", count: 81), "-1+1"]

    static func pick<T>(_ values: [T], _ generator: inout SplitMix) -> T { values[Int(generator.next() % UInt64(values.count))] }

    static func value(_ generator: inout SplitMix) -> FieldValue {
        switch generator.next() % 7 {
        case 0: .int(pick(integers, &generator))
        case 1: .int(Int64(bitPattern: generator.next()))
        case 2: .double(pick(numbers, &generator))
        case 3: .double(Double(bitPattern: generator.next()))
        case 4: .string(pick(words, &generator))
        case 5: .bool(generator.next() % 2 == 0)
        default: .null
        }
    }

    /// Fields as a peer's ops could leave them: any key of a record, any value of any type.
    static func storedRecord(_ generator: inout SplitMix) -> Result<EvidenceRecord, FindingsError> {
        var fields: [String: FieldValue] = [:]
        for key in EvidenceMetrics.keys + ["week"] where generator.next() % 3 != 0 { fields[key] = value(&generator) }
        if generator.next() % 2 == 0 { fields["week"] = .string(pick(Array(words[4...12]), &generator)) }
        let tags = (0..<generator.next() % 3).map { _ in pick(FindingCategory.allCases.map(\.rawValue) + ["visit"], &generator) }
        let linked = (0..<generator.next() % 4).map { _ in pick(links, &generator) }
        let text = generator.next() % 8 == 0 ? String(repeating: "x", count: Int(generator.next() % 400)) : ""
        let reporter = "device-\(generator.next() % 5)"
        return Result { () throws(FindingsError) in
            try EvidenceRecord(fields: fields, tags: tags, links: linked, text: text, reporter: reporter)
        }
    }

    /// A record made in memory with any typed value, including a week that does not exist.
    static func madeRecord(_ generator: inout SplitMix) -> EvidenceRecord {
        var made = record("device-\(generator.next() % 5)", findings: [pick(links, &generator)])
        made.week.year = [2026, 1900, 10_000, Int.max, Int.min][Int(generator.next() % 5)]
        made.week.week = [10, 0, 53, 99, -1][Int(generator.next() % 5)]
        made.metrics = EvidenceMetrics(
            caseload: Int(truncatingIfNeeded: pick(integers, &generator)),
            caseloadFamilies: Int(truncatingIfNeeded: pick(integers, &generator)), hoursWorked: pick(numbers, &generator),
            hoursPaid: pick(numbers, &generator), hoursToil: pick(numbers, &generator),
            supervisionMinutes: Int(truncatingIfNeeded: pick(integers, &generator)), supervisionUninterrupted: generator.next() % 2 == 0,
            supervisionWeek: forgedWeek(year: [2026, 1900, 10_000, Int.min][Int(generator.next() % 4)], week: [8, 0, 53, 99][Int(generator.next() % 4)]))
        return made
    }

    @Test func everyDrawRendersInEveryFormat() throws {
        var generator = SplitMix(seed: 0x14_0006)
        let catalog = try FindingsCatalog()
        for draw in 0..<3_000 {
            var records: [EvidenceRecord] = []
            var refused = 0
            for _ in 0..<(1 + generator.next() % 6) {
                switch Self.storedRecord(&generator) {
                case .success(let record): records.append(record)
                case .failure: refused += 1
                }
            }
            if generator.next() % 4 == 0 { records.append(Self.madeRecord(&generator)) }
            let report = try Report.build(records: records, refused: refused, minReporters: 3 + Int(generator.next() % 3), catalog: catalog)
            #expect(report.refusedRecords >= refused, "draw \(draw)")
            try Self.check(report, draw: draw)
        }
    }

    /// What must hold of any report: JSON that parses, with finite figures none below zero; CSV
    /// that parses back with no cell a spreadsheet would run; Markdown and HTML produced.
    static func check(_ report: Report, draw: Int) throws {
        let json = try JSONSerialization.jsonObject(with: Data(report.render(.json).utf8)) as? [String: Any]
        #expect(json?["refused_records"] as? Int == report.refusedRecords, "draw \(draw)")
        for cell in [report.total] + report.categories + report.findings + report.months {
            guard let statistics = cell.statistics else { continue }
            let caseload = [statistics.caseload?.median, statistics.caseload?.p90 ?? nil, statistics.caseloadFamilies?.median,
                            statistics.caseloadPerFTE?.median, statistics.caseloadPerFTE?.p90 ?? nil]
            let hours = [statistics.unpaidHours?.total, statistics.unpaidHours?.mean, statistics.toilHours?.total, statistics.toilHours?.mean]
            let figures = (caseload + hours).compactMap { $0 }
            #expect(figures.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 10_000 }, "draw \(draw): \(figures)")
            let shares = [statistics.supervisionWithinMonth, statistics.supervisionWithinMonthNewlyQualified, statistics.supervisionFullSessions]
            #expect(shares.compactMap { $0 }.allSatisfy { (0...1).contains($0.share) && $0.meeting <= $0.judged }, "draw \(draw)")
        }
        for row in try CSV.parse(report.render(.csv)) {
            for cell in row.fields {
                #expect(!(cell.unicodeScalars.first.map(CSV.formulaStarts.contains) ?? false), "draw \(draw): \(cell)")
            }
        }
        #expect(report.render(.markdown).hasPrefix("# Workload evidence report"))
        #expect(report.render(.html).hasSuffix("</html>\n"))
    }
}

/// Copies every op of `space` that `to` lacks from `from`, each payload first passed through
/// `forge`: what a hostile peer's device would send instead of what its store wrote.
func receiveForged(_ space: SpaceID, from: Store, to: Store, forge: (OpPayload) -> OpPayload) throws {
    let page = try from.ops(in: space, above: try to.versionVector(space), limit: 10_000)
    _ = try to.apply(page.ops.map { Op(id: $0.id, timestamp: $0.timestamp, payload: forge($0.payload)) })
}

/// A week with any numbers, as a faulty device could hold one in memory (parsing makes only real weeks).
func forgedWeek(year: Int, week: Int) -> ISOWeek {
    var forged = ISOWeek("2026-W10")!
    forged.year = year
    forged.week = week
    return forged
}
