/// An in-memory replica: a whole fieldnote store without the disk, for tests, fuzzing and the
/// benchmark.
///
/// It keeps a log per space and applies ops under causal delivery, exactly as the SQLite store
/// does through the same `EntityState` and `Delivery` rules, so convergence can be proven here
/// fast and with seeded randomness. Typing is coalesced: a character typed right after the
/// previous one extends that insertion op instead of making a new one, until anything else
/// happens (another edit, a remote op, or the log being read for sync).
///
/// The properties touched on every keystroke are `@exclusivity(unchecked)`: a replica is used
/// from one thread (it is not `Sendable`), every mutation of them is a short, non-reentrant
/// access inside this module, and the runtime's dynamic exclusivity bookkeeping cost more than a
/// keystroke's own work.
public final class Replica {
    public let id: ReplicaID
    /// Each entity's state in a box, so that an edit mutates it where it lies instead of moving a
    /// large struct out of the dictionary and back on every keystroke.
    @exclusivity(unchecked) var boxes: [EntityID: EntityBox] = [:]
    /// The box used last: ops mostly come in runs on one entity, which then skip the hashing.
    @exclusivity(unchecked) private var lastBox: EntityBox?

    /// Every entity this replica knows, as values.
    public var entities: [EntityID: EntityState] { boxes.mapValues(\.state) }

    public func state(of entity: EntityID) -> EntityState? { boxes[entity]?.state }
    /// Per space, the log and what this replica holds. The open edit is counted when it is sealed.
    @exclusivity(unchecked) private var spaceLogs: [SpaceID: SpaceLog] = [:]
    /// The space used last: a batch is mostly one space, whose ops then skip hashing its name.
    @exclusivity(unchecked) private var lastSpaceLog: SpaceLog?
    @exclusivity(unchecked) var factory: OpFactory
    let wallClock: () -> UInt64
    private var pending: [Op] = []
    /// The ids in `pending`: an op held back that arrives again is held once, as the store holds it.
    private var pendingIDs: Set<OpID> = []
    /// A local insertion or deletion still open to extension, kept out of the log so extending
    /// it never copies the log's storage.
    @exclusivity(unchecked) var open: OpenEdit?
    /// Reused for the ranges a keystroke's deletion names, so backspacing allocates nothing.
    @exclusivity(unchecked) var scratchRanges: [CharRange] = []

    public init(id: ReplicaID, wallClock: @escaping () -> UInt64) {
        self.id = id
        self.wallClock = wallClock
        self.factory = OpFactory(replica: id, clock: HybridLogicalClock(), wallMillis: wallClock())
    }

    public var clock: HybridLogicalClock { factory.clock }

    public var versions: [SpaceID: VersionVector] {
        seal()
        return spaceLogs.mapValues(\.vector)
    }

    public func versionVector(of space: SpaceID) -> VersionVector {
        seal()
        return existingLog(space)?.vector ?? VersionVector()
    }
    /// A space's log is made by the first op logged in it, so every one listed holds ops.
    public var spaces: [SpaceID] { spaceLogs.keys.sorted() }
    public var pendingCount: Int { pending.count }
    /// Ops held back until what they depend on arrives.
    public var pendingOps: [Op] { pending }

    /// Every op this replica holds in `space`, in the order it applied them (a causal order).
    public func log(of space: SpaceID) -> [Op] {
        seal()
        return existingLog(space)?.ops ?? []
    }

    // MARK: Sync

    /// The ops in `space` that a peer holding `vector` lacks, in timestamp order (a causal order).
    public func ops(in space: SpaceID, missingFrom vector: VersionVector) -> [Op] {
        seal()
        return (existingLog(space)?.ops ?? []).filter { $0.lastSeq > vector[$0.id.replica] }
            .sorted { ($0.timestamp, $0.id.replica, $0.id.seq) < ($1.timestamp, $1.id.replica, $1.id.seq) }
    }

    public struct ReceiveSummary: Equatable, Sendable {
        public var applied = 0
        /// Ops held already, applied or held back.
        public var duplicates = 0
        /// Insertions refused by the note size limit (Protocol.md 1.7), logged erased; counted
        /// in `applied` too.
        public var refused = 0
        /// Ops held back because something they depend on has not arrived.
        public var waiting = 0
    }

    /// Applies ops from a peer in any order, holding back those whose predecessors are missing.
    ///
    /// Ops are accepted whatever their timestamps: registers order writes by what each writer
    /// had seen (`pred`), not by clocks. A timestamp advances this replica's clock only up to
    /// its wall time plus `HybridLogicalClock.maximumAdvance`.
    ///
    /// - Throws: `clockSkew` if any op's timestamp is impossible (after the year 9999); nothing
    ///   is applied then.
    @discardableResult
    public func receive(_ ops: [Op]) throws(SyncCoreError) -> ReceiveSummary {
        seal()
        let wall = wallClock()
        for op in ops { try HybridLogicalClock.check(op.timestamp) }
        var summary = ReceiveSummary()
        for op in ops {
            factory.clock.receive(op.timestamp, wallMillis: wall)
            switch verdict(for: op) {
            case .known: summary.duplicates += 1
            case .waiting:
                guard pendingIDs.insert(op.id).inserted else { summary.duplicates += 1; continue }
                pending.append(existingBox(op.entity)?.state.isPurged(in: op.id.space) == true ? erased(op) : op)
            case .ready(let fresh):
                if applyLogged(fresh) { summary.refused += 1 }
                summary.applied += 1
                drainPending(into: &summary)
            }
        }
        summary.waiting = pending.count
        return summary
    }

    /// Causal delivery, and a purge waits for its entity's create (`EntityState.awaitsCreate`).
    private func verdict(for op: Op) -> Delivery.Verdict {
        let verdict = Delivery.verdict(for: op, given: versionVector(of: op.id.space))
        if case .ready = verdict, case .purge = op.payload, EntityState.awaitsCreate(op, state: existingBox(op.entity)?.state) { return .waiting }
        return verdict
    }

    /// Applies held-back ops that have become ready, pass after pass until a pass moves nothing.
    private func drainPending(into summary: inout ReceiveSummary) {
        var progress = true
        while progress && !pending.isEmpty {
            progress = false
            var stillWaiting: [Op] = []
            for op in pending {
                switch verdict(for: op) {
                case .known:
                    pendingIDs.remove(op.id)
                    progress = true
                case .waiting: stillWaiting.append(op)
                case .ready(let fresh):
                    pendingIDs.remove(op.id)
                    if applyLogged(fresh) { summary.refused += 1 }
                    summary.applied += 1
                    progress = true
                }
            }
            pending = stillWaiting
        }
    }

    /// Appends an op that is ready, applies it, and carries out a purge on the log itself.
    ///
    /// An insertion that would take its note's live text past `OpCodec.maximumNoteScalars` is
    /// refused on its own (Protocol.md 1.7), as the store refuses it: logged and applied in its
    /// erased form, so its sequence numbers are held and the ops after it apply. Returns true
    /// for such an insertion.
    @discardableResult
    func applyLogged(_ received: Op) -> Bool {
        let box = box(for: received.entity)
        var refused = false
        if case .insertText(_, _, _, let text) = received.payload {
            // UTF-8 bytes bound the scalars from above: counting them is needed only near the limit.
            let live = box.state.text.count
            refused = live + text.utf8.count > OpCodec.maximumNoteScalars
                && !OpCodec.noteAdmits(inserting: text.unicodeScalarCount, into: live)
        }
        let op = refused ? Op(id: received.id, timestamp: received.timestamp, payload: received.payload.erasedForm) : received
        let log = spaceLog(op.id.space)
        log.vector.advance(op.id.replica, to: op.lastSeq)
        if EntityState.takesOverSpace(op, state: box.state) {
            box.state = EntityState.replaying(spaceLog(op.id.space).ops.filter { $0.entity == op.entity }, of: op.entity, in: op.id.space)
            // A purge among its own ops, ignored while the entity was filed elsewhere, erases now.
            if box.state.isPurged { eraseLoggedContent(of: op.entity, in: op.id.space) }
        }
        let wasPurged = box.state.isPurged
        box.state.apply(op)
        if case .purge = op.payload, !wasPurged, box.state.isPurged {
            // It took effect, so it is of the entity's own space.
            log.ops.append(op)
            eraseLoggedContent(of: op.entity, in: op.id.space)
        } else {
            // An op that arrives after its entity was purged is kept only as its ids.
            log.ops.append(box.state.isPurged(in: op.id.space) ? erased(op) : op)
        }
        return refused
    }

    func existingBox(_ entity: EntityID) -> EntityBox? {
        if let last = lastBox, last.state.id == entity { return last }
        guard let box = boxes[entity] else { return nil }
        lastBox = box
        return box
    }

    func box(for entity: EntityID) -> EntityBox {
        if let box = existingBox(entity) { return box }
        return install(EntityState(id: entity))
    }

    /// Puts `state` in a new box, replacing any box of its entity.
    @discardableResult
    func install(_ state: EntityState) -> EntityBox {
        let box = EntityBox(state)
        boxes[state.id] = box
        lastBox = box
        return box
    }

    // MARK: Space logs

    private func existingLog(_ space: SpaceID) -> SpaceLog? {
        if let last = lastSpaceLog, last.space == space { return last }
        guard let log = spaceLogs[space] else { return nil }
        lastSpaceLog = log
        return log
    }

    private func spaceLog(_ space: SpaceID) -> SpaceLog {
        if let log = existingLog(space) { return log }
        let log = SpaceLog(space)
        spaceLogs[space] = log
        lastSpaceLog = log
        return log
    }

    private func erased(_ op: Op) -> Op {
        var copy = op
        copy.payload = op.payload.erasedForm
        return copy
    }

    /// Erasure reaches the log: every op of the purged entity, in its space, keeps only its ids.
    /// Ops naming it from another space changed nothing and are not its content (Protocol.md 6.4).
    private func eraseLoggedContent(of entity: EntityID, in space: SpaceID) {
        let log = spaceLog(space)
        for index in log.ops.indices where log.ops[index].entity == entity {
            log.ops[index].payload = log.ops[index].payload.erasedForm
        }
        pending = pending.map { $0.entity == entity && $0.id.space == space ? erased($0) : $0 }
    }

    // MARK: Open edits

    /// Records a local op already applied to its entity, folding it into the open edit when it
    /// continues it. Returns whether it was folded (and so keeps the open edit's timestamp).
    @discardableResult
    func recordLocal(_ op: Op) -> Bool {
        // A folded deletion gives its sequence number back, which is only possible while no
        // later op has taken the next one (an edit can make several ops before they are recorded).
        var foldable = true
        if case .deleteText = op.payload { foldable = factory.peekSeq(in: op.id.space) == op.lastSeq + 1 }
        if foldable, open?.absorb(op, replica: id) == true {
            if case .deleteText = op.payload { factory.retract(op) }
            return true
        }
        seal()
        let log = spaceLog(op.id.space)
        log.vector.advance(id, to: op.lastSeq)
        if let box = existingBox(op.entity), let edit = OpenEdit(op, box: box) {
            open = edit
        } else {
            log.ops.append(op)
            if case .purge = op.payload { eraseLoggedContent(of: op.entity, in: op.id.space) }
        }
        return false
    }

    /// Closes the open edit and puts it in the log.
    func seal() {
        guard let edit = open else { return }
        open = nil
        let log = spaceLog(edit.id.space)
        log.vector.advance(id, to: edit.lastSeq)
        log.ops.append(edit.op)
    }
}

/// A local insertion or deletion that later typing may still extend.
///
/// Plain stored properties rather than an enum with payloads, so that extending it mutates the
/// text buffer in place instead of copying it out of an enum case on every keystroke. It keeps
/// its entity's box, so a keystroke that continues it needs no dictionary lookup, and its
/// text as UTF-8 bytes, which a keystroke extends by a byte or two; the `String` is made once,
/// when the edit is sealed.
struct OpenEdit {
    let id: OpID
    let timestamp: Timestamp
    let entity: EntityID
    let box: EntityBox
    let isInsertion: Bool
    let origin: CharID?
    let rightOrigin: CharID?
    private var utf8: [UInt8]
    private(set) var count: UInt64
    private var ranges: [CharRange]

    init?(_ op: Op, box: EntityBox) {
        id = op.id
        timestamp = op.timestamp
        entity = op.entity
        self.box = box
        switch op.payload {
        case .insertText(_, let origin, let rightOrigin, let text):
            (isInsertion, self.origin, self.rightOrigin, utf8, count, ranges) = (true, origin, rightOrigin, Array(text.utf8), op.span, [])
            utf8.reserveCapacity(64)
        case .deleteText(_, let ranges):
            (isInsertion, origin, rightOrigin, utf8, count, self.ranges) = (false, nil, nil, [], 1, ranges)
        default:
            return nil
        }
    }

    var lastSeq: UInt64 { id.seq &+ count &- 1 }

    var op: Op {
        let payload: OpPayload = isInsertion
            ? .insertText(entity: entity, origin: origin, rightOrigin: rightOrigin, text: String(decoding: utf8, as: UTF8.self))
            : .deleteText(entity: entity, ranges: ranges)
        return Op(id: id, timestamp: timestamp, payload: payload)
    }

    /// Extends an open insertion with characters already placed right after its last one.
    mutating func extendInsertion(with added: String, span: UInt64) {
        if span == 1, let unit = added.utf8.first, unit < 0x80 {
            utf8.append(unit)
        } else {
            utf8.append(contentsOf: added.utf8)
        }
        count += span
    }

    /// Extends an open deletion with a range adjacent to the last one it deleted, if it is.
    mutating func extendDeletion(with range: CharRange) -> Bool {
        guard !isInsertion, let last = ranges.last, let joined = CharRange.joined(last, range) else { return false }
        ranges[ranges.count - 1] = joined
        return true
    }

    /// Folds `next` in when it continues this edit: the next characters typed after the last
    /// one, before the same neighbour, or a deletion adjacent to the last one deleted.
    mutating func absorb(_ next: Op, replica: ReplicaID) -> Bool {
        guard next.entity == entity, next.id.space == id.space else { return false }
        switch next.payload {
        case .insertText(_, let nextOrigin, let nextRight, let added)
            where isInsertion && next.id.seq == lastSeq + 1 && nextOrigin == Dot(replica: replica, seq: lastSeq) && nextRight == rightOrigin:
            utf8.append(contentsOf: added.utf8)
            count += next.span
            return true
        case .deleteText(_, let added) where !isInsertion && added.count == 1:
            guard let last = ranges.last, let joined = CharRange.joined(last, added[0]) else { return false }
            ranges[ranges.count - 1] = joined
            return true
        default:
            return false
        }
    }
}

extension CharRange {
    /// The single range covering two adjacent ranges of one replica, or nil if they are not adjacent.
    static func joined(_ a: CharRange, _ b: CharRange) -> CharRange? {
        guard a.replica == b.replica else { return nil }
        if a.lastSeq + 1 == b.start.seq { return CharRange(start: a.start, count: a.count + b.count) }
        if b.lastSeq + 1 == a.start.seq { return CharRange(start: b.start, count: a.count + b.count) }
        return nil
    }
}

/// One space's log and version vector, boxed for the same reason as `EntityBox`: appending an
/// op and advancing the vector change them where they lie. Never shared outside the replica.
final class SpaceLog {
    let space: SpaceID
    @exclusivity(unchecked) var vector = VersionVector()
    @exclusivity(unchecked) var ops: [Op] = []
    init(_ space: SpaceID) { self.space = space }
}

/// A mutable home for one entity's state inside a replica; never shared outside it.
final class EntityBox {
    /// Unchecked for the same reason as the replica's keystroke properties: one thread, short
    /// accesses, and the check cost more than the keystroke.
    @exclusivity(unchecked) var state: EntityState
    init(_ state: EntityState) { self.state = state }
}
