import Foundation
import GRDB
import SyncCore

/// What a sync session knows about its peer, which is what tells concurrent changes apart.
public struct MergeContext: Sendable, Hashable {
    /// The space of the batches applied with this context.
    public var space: SpaceID
    /// The replica of the store that sends the ops.
    public var sender: ReplicaID
    /// The sender's version vector of the space, from its HELLO: every op it had seen.
    public var senderVector: VersionVector
    /// This store's version vector of the space when the session began (its own HELLO).
    public var localVector: VersionVector

    public init(space: SpaceID, sender: ReplicaID, senderVector: VersionVector, localVector: VersionVector) {
        self.space = space
        self.sender = sender
        self.senderVector = senderVector
        self.localVector = localVector
    }

    /// Whether this store held, when the session began, any op the sender had not seen. When
    /// not (an initial sync, a device that only reads), nothing received can be concurrent
    /// with anything here, and detection costs nothing more.
    var localHasUnseen: Bool {
        localVector.entries.contains { replica, seq in seq > senderVector[replica] }
    }
}

/// A note whose text, or one of whose fields, a sync merged from concurrent changes.
public struct MergeMark: Sendable, Hashable {
    public var note: EntityID
    /// When this store applied the merge (its wall clock), Unix milliseconds.
    public var mergedMillis: UInt64
    /// Whether both sides had edited the text.
    public var text: Bool
    /// The fields both sides had set, sorted.
    public var fields: [String]
    /// The replicas that made this side's concurrent changes (which the sender had not seen).
    public var localAuthors: [ReplicaID]
    /// The replicas that made the received concurrent changes.
    public var remoteAuthors: [ReplicaID]
    /// The replica that sent the received changes.
    public var sender: ReplicaID

    /// Everyone whose concurrent changes met, sorted.
    public var authors: [ReplicaID] { Set(localAuthors + remoteAuthors).sorted() }
}

/// Which changes of one note one side made that the other had not seen: the authors of text
/// edits and, per field, of sets.
struct ConcurrentSide {
    var text: Set<ReplicaID> = []
    var fields: [String: Set<ReplicaID>] = [:]

    /// Records `op` when it edits text or sets a field; other ops (tags, links, the bin) merge
    /// without anything to tell anyone.
    mutating func record(_ op: Op) {
        switch op.payload {
        case .insertText, .deleteText: text.insert(op.id.replica)
        case .setField(_, let key, _, _): fields[key, default: []].insert(op.id.replica)
        default: break
        }
    }

    var isEmpty: Bool { text.isEmpty && fields.isEmpty }
}

/// Detection of merged concurrent changes, once per received batch.
///
/// Rule: a received op and an op of this store's log are concurrent when the sender had not seen
/// the local op (it is above the sender's HELLO vector) — then the received op cannot follow it —
/// and the local op was logged before the batch — then it cannot follow the received op, which
/// this store had not held. Sync sends ops in timestamp order, which is causal, so each store's
/// log holds the whole causal past of every op in it, and "not seen" is "not causally before".
/// A note is marked when such ops on both sides edit its text, or set the same field.
///
/// Cost: nothing when this store held nothing the sender lacked; otherwise one pass over the
/// batch's applied ops in memory, and one read of the op log per note that existed before the
/// batch and that the batch edited (text or fields).
extension WriteSession {
    func detectMerges(_ context: MergeContext) throws -> [MergeMark] {
        guard context.localHasUnseen else { return [] }
        var received: [EntityID: ConcurrentSide] = [:]
        var order: [EntityID] = []
        var last: EntityID?
        var lastRef: Int64?
        for op in unflushedOps where op.id.space == context.space {
            if op.entity != last {
                last = op.entity
                lastRef = preexisting(op.entity).flatMap { $0.state.kind == .note ? $0.ref : nil }
            }
            guard lastRef != nil else { continue }
            var side = received[op.entity] ?? ConcurrentSide()
            side.record(op)
            if side.isEmpty { continue }
            if received.updateValue(side, forKey: op.entity) == nil { order.append(op.entity) }
        }
        var marks: [MergeMark] = []
        for entity in order {
            guard let ref = preexisting(entity)?.ref, let remote = received[entity] else { continue }
            let local = try unseenLocalSide(ref: ref, context)
            let text = !remote.text.isEmpty && !local.text.isEmpty
            let fields = Set(remote.fields.keys).intersection(local.fields.keys).sorted()
            guard text || !fields.isEmpty else { continue }
            func authors(_ side: ConcurrentSide) -> [ReplicaID] {
                Set((text ? side.text : []).union(fields.flatMap { side.fields[$0] ?? [] })).sorted()
            }
            let mark = MergeMark(note: entity, mergedMillis: wallMillis, text: text, fields: fields,
                                 localAuthors: authors(local), remoteAuthors: authors(remote), sender: context.sender)
            marks.append(try MergeMarkRows.save(mark, ref: ref, context: context, db))
        }
        return marks
    }

    /// The text edits and field sets of one note in this store's log that the sender had not seen.
    private func unseenLocalSide(ref: Int64, _ context: MergeContext) throws -> ConcurrentSide {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE entity = ?
            """), arguments: [ref])
        var side = ConcurrentSide()
        for row in rows {
            for op in try OpLogRows.ops(from: row) where op.lastSeq > context.senderVector[op.id.replica] {
                side.record(op)
            }
        }
        return side
    }
}
