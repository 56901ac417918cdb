import Foundation
import GRDB
import GRDBSQLite

/// `fieldnote_bm25(fts, sz)`: FTS5's bm25 ranking (same formula and constants: k1 = 1.2,
/// b = 0.75, every column weighted 1), taking each note's token count from its `fts_docsize`
/// row, which the query joins and passes as `sz`.
///
/// Why not FTS5's own `bm25()`: for each matching row it reads the token count through a
/// statement of its own (bind, step, reset). Under callgrind, on 20 000 notes where "supervision
/// cancelled" matches 7 767, ranking with bm25() added 49 M instructions to the match itself,
/// while the same docsize lookups done as a join cost 5.5 M. A common word matches a third of
/// a store, so search time grew with the store mostly through ranking.
///
/// Registered on every connection of the store (`register`), through FTS5's C API, with
/// `SearchSnippet`'s function. The
/// per-query constants (row count, average length, each phrase's document frequency) are
/// computed once per query, as FTS5's bm25 does, and kept as the query's auxiliary data.
enum SearchRanking {
    static let functionName = "fieldnote_bm25"

    static func register(_ db: Database) throws {
        guard let connection = db.sqliteConnection else { return }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "SELECT fts5(?1)", -1, &statement, nil) == SQLITE_OK else {
            throw StoreError(.database, "FTS5 is not available in this SQLite")
        }
        defer { sqlite3_finalize(statement) }
        var api: UnsafeMutablePointer<fts5_api>?
        // SQLite keeps the pointer type's C string until the statement has stepped and compares
        // it then: it must outlive both calls, not only the bind (a literal passed straight to
        // the bind is a temporary that AddressSanitizer caught being read after it was freed).
        "fts5_api_ptr".withCString { type in
            withUnsafeMutablePointer(to: &api) { pointer in
                _ = sqlite3_bind_pointer(statement, 1, pointer, type, nil)
                _ = sqlite3_step(statement)
            }
        }
        guard let api, api.pointee.iVersion >= 2, let create = api.pointee.xCreateFunction,
              create(api, functionName, nil, rank, nil) == SQLITE_OK,
              create(api, SearchSnippet.functionName, nil, SearchSnippet.function, nil) == SQLITE_OK else {
            throw StoreError(.database, "cannot register the search ranking and snippet functions")
        }
    }

    /// The per-query constants, kept by FTS5 until the query ends (freed through `release`).
    private final class QueryConstants {
        let averageLength: Double
        let idf: [Double]
        /// Scratch space for one row's phrase frequencies. A buffer, not a `var` array: a class's
        /// mutable array property is checked for exclusive access on every element written,
        /// which was an eighth of a search's instructions.
        let frequencies: UnsafeMutableBufferPointer<Double>

        init(averageLength: Double, idf: [Double]) {
            self.averageLength = averageLength
            self.idf = idf
            self.frequencies = .allocate(capacity: idf.count)
            frequencies.initialize(repeating: 0)
        }

        deinit { frequencies.deallocate() }
    }

    private static let k1 = 1.2
    private static let b = 0.75

    private static let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
        if let pointer { Unmanaged<QueryConstants>.fromOpaque(pointer).release() }
    }

    private static let countRow: @convention(c) (UnsafePointer<Fts5ExtensionApi>?, OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { _, _, count in
        count?.assumingMemoryBound(to: Int64.self).pointee += 1
        return SQLITE_OK
    }

    private static let rank: fts5_extension_function = { apiPointer, fts, context, argumentCount, arguments in
        guard let api = apiPointer?.pointee else { return }
        guard argumentCount == 1, let sizeValue = arguments?[0] else {
            sqlite3_result_error(context, "fieldnote_bm25(fts, sz) takes the fts_docsize row's sz", -1)
            return
        }
        guard let constants = SearchRanking.constants(api, fts) else {
            sqlite3_result_error(context, "fieldnote_bm25: cannot read the index statistics", -1)
            return
        }
        let frequencies = constants.frequencies
        frequencies.update(repeating: 0)
        var instances: Int32 = 0
        guard api.xInstCount!(fts, &instances) == SQLITE_OK else { return }
        for instance in 0..<instances {
            var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
            if api.xInst!(fts, instance, &phrase, &column, &offset) == SQLITE_OK, Int(phrase) < frequencies.count {
                frequencies[Int(phrase)] += 1
            }
        }
        let length = Double(SearchRanking.tokenCount(sizeValue))
        var score = 0.0
        for (index, frequency) in frequencies.enumerated() {
            let denominator = frequency + k1 * (1 - b + b * length / constants.averageLength)
            score += constants.idf[index] * (frequency * (k1 + 1)) / denominator
        }
        sqlite3_result_double(context, -score)
    }

    /// The query's constants, computed on its first row as FTS5's `fts5Bm25GetData` does.
    private static func constants(_ api: Fts5ExtensionApi, _ fts: OpaquePointer?) -> QueryConstants? {
        if let kept = api.xGetAuxdata!(fts, 0) {
            return Unmanaged<QueryConstants>.fromOpaque(kept).takeUnretainedValue()
        }
        var rows: Int64 = 0, tokens: Int64 = 0
        guard api.xRowCount!(fts, &rows) == SQLITE_OK, api.xColumnTotalSize!(fts, -1, &tokens) == SQLITE_OK else { return nil }
        let phrases = Int(api.xPhraseCount!(fts))
        var idf: [Double] = []
        for phrase in 0..<phrases {
            var hits: Int64 = 0
            guard api.xQueryPhrase!(fts, Int32(phrase), &hits, countRow) == SQLITE_OK else { return nil }
            let value = log((Double(rows) - Double(hits) + 0.5) / (Double(hits) + 0.5))
            idf.append(value <= 0 ? 1e-6 : value)
        }
        let constants = QueryConstants(averageLength: Double(tokens) / Double(max(rows, 1)), idf: idf)
        let retained = Unmanaged.passRetained(constants).toOpaque()
        guard api.xSetAuxdata!(fts, retained, release) == SQLITE_OK else {
            Unmanaged<QueryConstants>.fromOpaque(retained).release()
            return nil
        }
        return constants
    }

    /// The note's token count: the sum of the per-column varints of its `fts_docsize.sz` blob.
    private static func tokenCount(_ value: OpaquePointer) -> Int {
        guard let blob = sqlite3_value_blob(value) else { return 0 }
        let bytes = blob.assumingMemoryBound(to: UInt8.self)
        let count = Int(sqlite3_value_bytes(value))
        var total = 0
        var index = 0
        while index < count {
            // SQLite's varint: 7 bits a byte, high bit set on all but the last (token counts fit
            // in far fewer than the nine bytes a varint may take).
            var number = 0
            while index < count {
                let byte = Int(bytes[index])
                index += 1
                number = number << 7 | (byte & 0x7f)
                if byte & 0x80 == 0 { break }
            }
            total += number
        }
        return total
    }
}
