import SyncCore

/// One recorded change to a text, as an op would carry it.
enum TextChange {
    case insert(text: String, firstID: CharID, origin: CharID?, rightOrigin: CharID?)
    case delete([CharRange])
}

/// Where `local_ms` sends the trace's keystrokes.
///
/// Today the bare `TextSequence`; once the replica exists, an editor that goes through it
/// (making an op per edit) conforms too and `TraceCommand` picks it instead: a one-line change.
protocol LocalEditor {
    init()
    mutating func insert(_ text: String, at position: Int) throws
    mutating func delete(_ positions: Range<Int>) throws
    var text: String { get }
    /// Visible characters, cheap enough to check inside a timed run.
    var count: Int { get }
}

/// The text sequence alone, as one replica typing.
struct SequenceEditor: LocalEditor {
    static let replica = ReplicaID(high: 0xF1E1_D407E, low: 1)

    var sequence = TextSequence()
    var nextSeq: UInt64 = 1
    /// What the edits produced, kept only when asked for: the merge benchmark's input.
    var history: [TextChange]? = nil

    init() {}

    init(recording: Bool) { history = recording ? [] : nil }

    mutating func insert(_ text: String, at position: Int) throws {
        let firstID = CharID(replica: SequenceEditor.replica, seq: nextSeq)
        let neighbours = try sequence.insert(text, at: position, firstID: firstID)
        nextSeq += UInt64(text.unicodeScalars.count)
        history?.append(.insert(text: text, firstID: firstID, origin: neighbours.origin, rightOrigin: neighbours.rightOrigin))
    }

    mutating func delete(_ positions: Range<Int>) throws {
        let ranges = try sequence.delete(positions)
        history?.append(.delete(ranges))
    }

    var text: String { sequence.text }
    var count: Int { sequence.count }
}

enum TraceReplay {
    static func replay<Editor: LocalEditor>(_ trace: EditingTrace, _ edits: [EditingTrace.Edit], into editor: inout Editor) throws {
        if !trace.startContent.isEmpty { try editor.insert(trace.startContent, at: 0) }
        for edit in edits {
            if edit.deleteCount > 0 { try editor.delete(edit.position..<(edit.position + edit.deleteCount)) }
            if !edit.inserted.isEmpty { try editor.insert(edit.inserted, at: edit.position) }
        }
    }

    /// Applies a recorded history to an empty sequence, as a peer receiving it would.
    static func merge(_ history: [TextChange]) -> (sequence: TextSequence, refused: Int) {
        var sequence = TextSequence()
        var refused = 0
        for change in history {
            switch change {
            case let .insert(text, firstID, origin, rightOrigin):
                if !sequence.integrate(text, firstID: firstID, origin: origin, rightOrigin: rightOrigin) { refused += 1 }
            case let .delete(ranges):
                sequence.delete(ranges: ranges)
            }
        }
        return (sequence, refused)
    }

    /// The same keystrokes on a gap buffer of bytes (the trace is ASCII, so positions are bytes).
    static func baseline(_ trace: EditingTrace, _ edits: [(position: Int, deleteCount: Int, bytes: [UInt8])]) -> GapBuffer {
        var buffer = GapBuffer()
        buffer.insert(Array(trace.startContent.utf8), at: 0)
        for edit in edits {
            if edit.deleteCount > 0 { buffer.delete(edit.position..<(edit.position + edit.deleteCount)) }
            if !edit.bytes.isEmpty { buffer.insert(edit.bytes, at: edit.position) }
        }
        return buffer
    }

    /// Runs in the stored form (pieces that continue each other merged), read from its header.
    static func storedRunCount(_ bytes: [UInt8]) -> Int? {
        var reader = ByteReader(bytes)
        guard (try? reader.byte()) != nil, let replicas = try? reader.count(limit: reader.remaining / 16),
              (try? reader.raw(replicas * 16)) != nil, let runs = try? reader.count(limit: reader.remaining)
        else { return nil }
        return runs
    }
}
