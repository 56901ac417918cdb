import GRDB
import GRDBSQLite

/// `fieldnote_snippet(fts, open, close, ellipsis, tokens)`: a window of `tokens` tokens around
/// the densest group of matches in a row, each match between `open` and `close`, with
/// `ellipsis` where text was cut. What FTS5's `snippet()` gives, in time linear in the row.
///
/// Why not FTS5's own `snippet()`: it scores a candidate window at every match against every
/// other match of the column, so its time grows with the square of the matches. On a 1 MB note
/// where three common words matched 190 000 times it took 10 s for one row, 16 s for a search;
/// a 10 MB note took over ten minutes. Here the matches are walked once with two cursors to find
/// the window holding the most different query words, then the text is tokenized only up to
/// the window's end.
enum SearchSnippet {
    static let functionName = "fieldnote_snippet"

    static let function: fts5_extension_function = { apiPointer, fts, context, argumentCount, arguments in
        guard let api = apiPointer?.pointee, argumentCount == 4, let arguments else {
            sqlite3_result_error(context, "fieldnote_snippet(fts, open, close, ellipsis, tokens) takes four arguments after fts", -1)
            return
        }
        let marks = Marks(open: text(arguments[0]), close: text(arguments[1]), ellipsis: text(arguments[2]))
        let tokens = max(1, Int(sqlite3_value_int(arguments[3])))
        guard let window = bestWindow(api, fts, tokens: tokens),
              let snippet = render(api, fts, window: window, marks: marks) else {
            sqlite3_result_text(context, "", 0, transient)
            return
        }
        snippet.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { sqlite3_result_text(context, $0.baseAddress, Int32(bytes.count), transient) }
        }
    }

    struct Marks {
        var open: [UInt8]
        var close: [UInt8]
        var ellipsis: [UInt8]
    }

    /// The tokens to show, `first...last` of `column`, and the matches among them as token ranges.
    struct Window {
        var column: Int32
        var first: Int
        var last: Int
        var matches: [ClosedRange<Int>]
    }

    private struct Instance {
        var phrase: Int
        var column: Int32
        var first: Int
        var last: Int
    }

    /// The window of `tokens` tokens holding the most distinct phrases (then the most matches),
    /// the earliest of equals. FTS5 lists instances by column and offset, so two cursors do.
    static func bestWindow(_ api: Fts5ExtensionApi, _ fts: OpaquePointer?, tokens: Int) -> Window? {
        var count: Int32 = 0
        guard api.xInstCount!(fts, &count) == SQLITE_OK, count > 0 else { return nil }
        let phraseCount = Int(api.xPhraseCount!(fts))
        let phraseSizes = (0..<phraseCount).map { max(1, Int(api.xPhraseSize!(fts, Int32($0)))) }
        var instances: [Instance] = []
        instances.reserveCapacity(Int(count))
        for index in 0..<count {
            var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
            guard api.xInst!(fts, index, &phrase, &column, &offset) == SQLITE_OK, Int(phrase) < phraseCount else { continue }
            let first = Int(offset)
            instances.append(Instance(phrase: Int(phrase), column: column, first: first, last: first + phraseSizes[Int(phrase)] - 1))
        }
        guard !instances.isEmpty else { return nil }
        var perPhrase = [Int](repeating: 0, count: phraseCount)
        var distinct = 0
        var best = (score: -1, start: 0, end: 0)
        var start = 0
        for end in instances.indices {
            let entering = instances[end]
            while instances[start].column != entering.column || entering.last - instances[start].first >= tokens {
                perPhrase[instances[start].phrase] -= 1
                if perPhrase[instances[start].phrase] == 0 { distinct -= 1 }
                start += 1
            }
            if perPhrase[entering.phrase] == 0 { distinct += 1 }
            perPhrase[entering.phrase] += 1
            // Distinct words first: a window with each query word once beats one word many times.
            let score = distinct * (instances.count + 1) + (end - start + 1)
            if score > best.score { best = (score, start, end) }
        }
        let chosen = instances[best.start...best.end]
        let covered = chosen.last!.last - chosen.first!.first + 1
        let first = max(0, chosen.first!.first - max(0, tokens - covered) / 2)
        let last = max(first + tokens - 1, chosen.last!.last)
        var matches: [ClosedRange<Int>] = []
        for instance in chosen {
            if let previous = matches.last, instance.first <= previous.upperBound {
                matches[matches.count - 1] = previous.lowerBound...max(previous.upperBound, instance.last)
            } else {
                matches.append(instance.first...instance.last)
            }
        }
        return Window(column: chosen.first!.column, first: first, last: last, matches: matches)
    }

    /// Byte offsets of the window's tokens, gathered by tokenizing the column up to its end.
    private final class TokenWalk {
        let window: Window
        var index = 0
        var startByte: Int?
        var endByte = 0
        var matchBytes: [Range<Int>] = []
        var matchStart: Int?
        var pastEnd = false

        init(window: Window) { self.window = window }

        func token(from start: Int, to end: Int) -> Int32 {
            defer { index += 1 }
            if index > window.last {
                pastEnd = true
                return SQLITE_DONE
            }
            guard index >= window.first else { return SQLITE_OK }
            if startByte == nil { startByte = start }
            endByte = end
            if let match = window.matches.first(where: { $0.contains(index) }) {
                if index == match.lowerBound { matchStart = start }
                if index == match.upperBound, let matchStart { matchBytes.append(matchStart..<end) }
            }
            return SQLITE_OK
        }
    }

    private static let tokenCallback: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, Int32, Int32, Int32) -> Int32 = {
        walk, flags, _, _, start, end in
        // A colocated token (a synonym) shares the position of the token before it.
        guard let walk, flags & FTS5_TOKEN_COLOCATED == 0 else { return SQLITE_OK }
        return Unmanaged<TokenWalk>.fromOpaque(walk).takeUnretainedValue().token(from: Int(start), to: Int(end))
    }

    static func render(_ api: Fts5ExtensionApi, _ fts: OpaquePointer?, window: Window, marks: Marks) -> [UInt8]? {
        var text: UnsafePointer<CChar>?
        var length: Int32 = 0
        guard api.xColumnText!(fts, window.column, &text, &length) == SQLITE_OK, let text else { return nil }
        let walk = TokenWalk(window: window)
        let status = withExtendedLifetime(walk) {
            api.xTokenize!(fts, text, length, Unmanaged.passUnretained(walk).toOpaque(), tokenCallback)
        }
        guard status == SQLITE_OK || status == SQLITE_DONE, let startByte = walk.startByte else { return nil }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: Int(length))
        let from = window.first == 0 ? 0 : startByte
        let to = walk.pastEnd ? walk.endByte : bytes.count
        var output: [UInt8] = window.first == 0 ? [] : marks.ellipsis
        output.reserveCapacity(to - from + 64)
        var position = from
        for match in walk.matchBytes where match.lowerBound >= position {
            output.append(contentsOf: bytes[position..<match.lowerBound])
            output.append(contentsOf: marks.open)
            output.append(contentsOf: bytes[match])
            output.append(contentsOf: marks.close)
            position = match.upperBound
        }
        output.append(contentsOf: bytes[position..<max(position, to)])
        if walk.pastEnd { output.append(contentsOf: marks.ellipsis) }
        return output
    }

    private static func text(_ value: OpaquePointer?) -> [UInt8] {
        guard let value, let pointer = sqlite3_value_text(value) else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: Int(sqlite3_value_bytes(value))))
    }

    /// SQLite's SQLITE_TRANSIENT: it copies the result before the buffer goes away.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
