import Foundation
import GRDB
import SyncCore

/// One step of a note's text history (`Store.textHistory`).
public enum TextHistoryEntry: Sendable, Hashable {
    /// One replica's change of the text (its consecutive text ops in log order) and the text as
    /// that change left it. `side` is set for a change a recorded merge found concurrent: the text
    /// is then as that side of the merge saw it (its own past and the change), not the mix the
    /// other side's concurrent edits make of it.
    case change(replica: ReplicaID, timestamp: Timestamp, text: String, side: MergeSide?)
    /// Where a sync merged concurrent edits: each side's text just before, and the merged text.
    case merge(mark: MergeMark, localText: String, remoteText: String, mergedText: String)
}

/// Which side of a recorded merge a change was on, and which replica sent the other changes.
public enum MergeSide: Sendable, Hashable {
    /// This store's side: a change `sender` had not seen.
    case local(sender: ReplicaID)
    /// The sender's side: a change this store had not seen until `sender` sent it.
    case remote(sender: ReplicaID)

    public var isLocal: Bool { if case .local = self { true } else { false } }
    public var sender: ReplicaID { switch self { case .local(let sender), .remote(let sender): sender } }
}

extension Store {
    /// The text of a note after each change, oldest first, with each merge this store recorded.
    ///
    /// Built by replaying the note's op log through `EntityState.apply` in log order, which is
    /// causal. Each recorded merge (`MergeDetection`) keeps the vectors of what each side had
    /// seen; replaying only the ops within one of them gives that side's text, so the versions
    /// that met are shown as they were written, next to what the merge made of them.
    public func textHistory(_ note: EntityID) throws(StoreError) -> [TextHistoryEntry] {
        try read { db in
            guard let ref = try Int64.fetchOne(db, sql: "SELECT ref FROM entities WHERE id = ?", arguments: [Data(note.bytes)]) else {
                throw StoreError(.unknownID, "no note with id \(note.short)")
            }
            let ops = try Row.fetchAll(db, sql: """
                SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE entity = ?
                """, arguments: [ref]).flatMap(OpLogRows.ops(from:)).sorted(by: LogOrderMerge.precedes)
            var replay = TextReplay(note: note, ops: ops, marks: try MergeMarkRows.load(note: note, ref: ref, db))
            return replay.run()
        }
    }
}

/// The replay behind `Store.textHistory`: the whole log, and for each recorded merge three
/// partial replays (each side, and the two together), all advanced op by op in log order.
struct TextReplay {
    /// A replay of only the ops within `vector`.
    struct View {
        let vector: VersionVector
        var state: EntityState

        mutating func apply(_ op: Op) {
            if let part = TextReplay.clipped(op, to: vector) { state.apply(part) }
        }
    }

    struct Merge {
        let stored: MergeMarkRows.Stored
        /// The index in the log of the last op either side had seen: the merge is shown after it.
        let lastIndex: Int
        var local: View
        var remote: View
        var merged: View
    }

    /// The longest time between two ops of one edit, in milliseconds.
    static let oneEdit: UInt64 = 10

    let ops: [Op]
    var whole: EntityState
    var merges: [Merge]

    init(note: EntityID, ops: [Op], marks: [MergeMarkRows.Stored]) {
        self.ops = ops
        whole = EntityState(id: note)
        merges = marks.compactMap { stored in
            let both = stored.localVector.merging(stored.remoteVector)
            guard let last = ops.lastIndex(where: { $0.id.seq <= both[$0.id.replica] }) else { return nil }
            let empty = EntityState(id: note)
            return Merge(stored: stored, lastIndex: last, local: View(vector: stored.localVector, state: empty),
                         remote: View(vector: stored.remoteVector, state: empty), merged: View(vector: both, state: empty))
        }
    }

    mutating func run() -> [TextHistoryEntry] {
        var entries: [TextHistoryEntry] = []
        var previousWasText = false
        for (index, op) in ops.enumerated() {
            whole.apply(op)
            for number in merges.indices {
                merges[number].local.apply(op)
                merges[number].remote.apply(op)
                merges[number].merged.apply(op)
            }
            let isText = switch op.payload { case .insertText, .deleteText: true; default: false }
            if isText {
                let (text, side) = textAfter(op, at: index)
                // One edit writes its few ops within milliseconds; a later edit, even by the same
                // device, is a change of its own, shown with the text it left.
                if previousWasText, case .change(let replica, let last, _, let lastSide) = entries.last,
                   replica == op.id.replica, lastSide == side, op.timestamp.millis <= last.millis + TextReplay.oneEdit {
                    entries[entries.count - 1] = .change(replica: replica, timestamp: op.timestamp, text: text, side: side)
                } else {
                    entries.append(.change(replica: op.id.replica, timestamp: op.timestamp, text: text, side: side))
                }
            }
            previousWasText = isText
            for merge in merges where merge.lastIndex == index && merge.stored.mark.text {
                entries.append(.merge(mark: merge.stored.mark, localText: merge.local.state.text.text,
                                      remoteText: merge.remote.state.text.text, mergedText: merge.merged.state.text.text))
                previousWasText = false
            }
        }
        return entries
    }

    /// The text after `op`: as one side saw it when a recorded merge found the op on that side
    /// only, otherwise as the whole log stands.
    private func textAfter(_ op: Op, at index: Int) -> (String, MergeSide?) {
        for merge in merges where index <= merge.lastIndex && merge.stored.mark.text {
            let inLocal = op.id.seq <= merge.local.vector[op.id.replica]
            let inRemote = op.id.seq <= merge.remote.vector[op.id.replica]
            let sender = merge.stored.mark.sender
            if inLocal && !inRemote { return (merge.local.state.text.text, .local(sender: sender)) }
            if inRemote && !inLocal { return (merge.remote.state.text.text, .remote(sender: sender)) }
        }
        return (whole.text.text, nil)
    }

    /// The part of `op` within `vector`: all of it, none, or the first characters of an insertion
    /// that the vector's store held only in part.
    static func clipped(_ op: Op, to vector: VersionVector) -> Op? {
        let held = vector[op.id.replica]
        if op.lastSeq <= held { return op }
        guard op.id.seq <= held, case .insertText(let entity, let origin, let rightOrigin, let text) = op.payload else { return nil }
        var part = op
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: text.unicodeScalars.prefix(Int(held - op.id.seq + 1)))
        part.payload = .insertText(entity: entity, origin: origin, rightOrigin: rightOrigin, text: String(prefix))
        return part
    }
}
