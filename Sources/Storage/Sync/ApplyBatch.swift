import Foundation
import GRDB
import SyncCore

/// What applying a batch of remote ops did.
public struct ApplyResult: Sendable, Hashable {
    /// Ops (or the unseen parts of insertion runs) appended to the log and applied.
    public var applied = 0
    /// Ops already held in full: ignored.
    public var duplicates = 0
    /// Ops held back because something they depend on has not arrived; kept in `pending`.
    public var parked = 0
    /// Ops parked by an earlier batch that this batch made ready. (Ops of this batch that had
    /// to wait for a later op of the same batch count as `applied`.)
    public var drained = 0
    /// Insertions refused because they would take a note past `OpCodec.maximumNoteScalars`:
    /// logged in their erased form (counted in `applied` or `drained` too), their text dropped.
    public var refused = 0
    /// Entities whose materialised state was touched, in first-touched order.
    public var entities: [EntityID] = []
    /// Notes where this batch met concurrent changes of this store (only with a `MergeContext`).
    public var merged: [MergeMark] = []

    public init() {}
}

extension Store {
    /// Applies a batch of ops received from a peer, in one transaction.
    ///
    /// For each op, `Delivery.verdict` against the current version vector decides: an op held
    /// already is skipped; one whose predecessors are missing is parked in `pending`; a ready one
    /// (or its unseen suffix) is logged, applied to its entity through `EntityState.apply`, and
    /// the vector advanced. Parked ops are retried until none can move. Every timestamp goes
    /// through the hybrid logical clock, which it advances at most to a minute past this device's
    /// wall time; only an impossible one (after the year 9999) refuses the whole batch
    /// (`clockSkew`), and nothing of it is kept. A batch that holds nothing new writes nothing at all.
    ///
    /// An insertion that would take a note's live text past `OpCodec.maximumNoteScalars` is
    /// refused on its own, not with its batch (Protocol.md 1.7): it is logged in its erased form,
    /// so its sequence numbers are held and the ops after it apply, and its text is dropped.
    ///
    /// With `merging` (a sync, which knows what the sender had seen), notes where the batch met
    /// concurrent changes of this store are marked (`MergeDetection`) and listed in the result.
    /// `proof`, what proved the ops (their authors' checkpoints, where their chains now stand, the
    /// digests of the erased ones), is kept in the same transaction, so this store can prove them
    /// in turn to the peers it serves.
    ///
    /// Ops written by a replica in `muting` (the devices this one grants the space read-only)
    /// are logged and counted as any other, so they are relayed and vectors agree, but change
    /// nothing here: a device granted read-only writes nothing this device shows, whoever relays
    /// its ops. `rematerialize` replays them when the grant changes.
    ///
    /// The batch commits with `synchronous=NORMAL` (`Durability.resendable`): a power cut may lose
    /// it whole, and the next sync fetches it again. Its notes reach the search index through
    /// `SearchBacklog`, before the next search.
    @discardableResult
    public func apply(
        _ ops: [Op], merging: MergeContext? = nil, proof: ReceivedProof = ReceivedProof(), muting: Set<ReplicaID> = []
    ) throws(StoreError) -> ApplyResult {
        try apply(ops, merging: merging, muting: muting) { () throws(StoreError) in proof }
    }

    /// `apply(_:merging:proof:muting:)`, with the proof given by `confirmation`, called inside the
    /// transaction after the ops are applied and before anything commits: a session checks a
    /// batch's authorship on another thread while the store applies it, and waits for the check
    /// here. When `confirmation` throws, the transaction rolls back and nothing of the batch is kept.
    @discardableResult
    public func apply(
        _ ops: [Op], merging: MergeContext? = nil, muting: Set<ReplicaID> = [],
        confirmedBy confirmation: () throws(StoreError) -> ReceivedProof
    ) throws(StoreError) -> ApplyResult {
        try write(receivedFromPeer: true) { session in
            session.muted = muting.subtracting([replica])
            var result = ApplyResult()
            var seen = Set<EntityID>()
            // Ops come in runs on one entity: only the first of a run needs the set.
            var lastSeen: EntityID?
            var progressed = false
            var parkedNow = Set<OpID>()
            try session.probe(entitiesOf: ops)
            session.reserveLog(ops.count)
            // By index: the element is borrowed, where `for op in ops` copies every op.
            for index in ops.indices {
                switch try session.receive(ops[index]) {
                case .applied(let refused):
                    result.applied += 1
                    if refused { result.refused += 1 }
                    progressed = true
                    let entity = ops[index].entity
                    if entity != lastSeen, seen.insert(entity).inserted { result.entities.append(entity) }
                    lastSeen = entity
                case .duplicate: result.duplicates += 1
                case .parked(let isNew):
                    if isNew { parkedNow.insert(ops[index].id); progressed = true } else { result.duplicates += 1 }
                }
            }
            if progressed {
                for (id, entity, refused) in try session.drainPending() {
                    if parkedNow.remove(id) == nil { result.drained += 1 } else { result.applied += 1 }
                    if refused { result.refused += 1 }
                    if seen.insert(entity).inserted { result.entities.append(entity) }
                }
            }
            result.parked = parkedNow.count
            if let merging, result.applied + result.drained > 0 { result.merged = try session.detectMerges(merging) }
            let proof = try confirmation()
            try Store.save(proof.checkpoints, session.db)
            try Store.advance(proof.heads, session.db)
            try ErasedDigests.save(proof.erasedDigests, session.db)
            return result
        }
    }
}

extension WriteSession {
    enum Reception { case applied(refused: Bool), duplicate, parked(isNew: Bool) }

    /// Takes one remote op into the transaction.
    func receive(_ op: Op) throws -> Reception {
        try HybridLogicalClock.check(op.timestamp)
        switch try readiness(of: op) {
        case .known:
            return .duplicate
        case .waiting:
            clock.receive(op.timestamp, wallMillis: wallMillis)
            return .parked(isNew: try park(op))
        case .whole:
            clock.receive(op.timestamp, wallMillis: wallMillis)
            return .applied(refused: try applyReady(op))
        case .suffix(let suffix):
            clock.receive(suffix.timestamp, wallMillis: wallMillis)
            return .applied(refused: try applyReady(suffix))
        }
    }

    /// Causal delivery, and a purge waits for its entity's create (`EntityState.awaitsCreate`).
    private func readiness(of op: Op) throws -> Delivery.Readiness {
        let readiness = Delivery.readiness(of: op, given: try vector(op.id.space))
        switch readiness {
        case .whole, .suffix:
            if case .purge = op.payload, EntityState.awaitsCreate(op, state: try existingState(op.entity)) { return .waiting }
        case .known, .waiting:
            break
        }
        return readiness
    }

    /// Applies and logs a ready op; returns true when it was refused (see `apply`) and logged erased.
    private func applyReady(_ op: Op) throws -> Bool {
        if case .create = op.payload, EntityState.takesOverSpace(op, state: try cachedState(op.entity)) {
            let ops = try loggedOps(of: op.entity, in: op.id.space)
            let state = EntityState.replaying(ops, of: op.entity, in: op.id.space, muted: muted)
            try takeOver(op.entity, with: state)
        }
        guard !muted.contains(op.id.replica) else {
            try update(op.entity) { $0.applyMuted(op) }
            try log(op)
            return false
        }
        // Only a refused op is copied, into its erased form: with the other copies this path made
        // of every op, copying was about 2 % of applying a batch (callgrind).
        var erased: Op?
        try update(op.entity) { state in
            if case .insertText(_, _, _, let text) = op.payload,
               !OpCodec.noteAdmits(inserting: text.unicodeScalarCount, into: state.text.count) {
                var kept = op
                kept.payload = op.payload.erasedForm
                state.apply(kept)
                erased = kept
            } else {
                state.apply(op)
            }
        }
        guard let erased else {
            try log(op)
            return false
        }
        // Refused and logged erased: its digest keeps the author's chain provable to others.
        try ErasedDigests.record([op], db)
        try log(erased)
        return true
    }

    /// Stores an op that cannot be applied yet. Returns false when it was already parked.
    private func park(_ op: Op) throws -> Bool {
        let purged = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT purged FROM entities WHERE id = ? AND space = ?"),
            arguments: [Data(op.entity.bytes), op.id.space.name]) ?? false
        let cachedPurged = try existingStateIfCachedIsPurged(op.entity, in: op.id.space)
        let payload = purged || cachedPurged ? OpLogRows.erasedForm(op.payload) : op.payload
        if payload != op.payload { try ErasedDigests.record(CollectionOfOne(op), db) }
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO pending (space, replica, seq, hlc_ms, hlc_counter, entity, payload) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                op.id.space.name, Data(op.id.replica.bytes), Int64(op.id.seq), Int64(op.timestamp.millis),
                Int64(op.timestamp.counter), Data(op.entity.bytes), Data(OpCodec.encodePayload(payload)),
            ])
        return db.changesCount > 0
    }

    private func existingStateIfCachedIsPurged(_ id: EntityID, in space: SpaceID) throws -> Bool {
        isCached(id) ? (try existingState(id)?.isPurged(in: space) ?? false) : false
    }

    /// Applies parked ops that have become ready, pass after pass until a pass moves nothing.
    /// Returns the id (as parked) and entity of each op applied, and whether it was refused.
    func drainPending() throws -> [(OpID, EntityID, refused: Bool)] {
        var drained: [(OpID, EntityID, refused: Bool)] = []
        let select = try db.cachedStatement(sql: """
            SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM pending ORDER BY space, replica, seq
            """)
        let delete = try db.cachedStatement(sql: "DELETE FROM pending WHERE space = ? AND replica = ? AND seq = ?")
        while true {
            var moved = false
            for row in try Row.fetchAll(select) {
                let op = try OpLogRows.op(from: row)
                switch try readiness(of: op) {
                case .waiting: continue
                case .known: break
                case .whole: drained.append((op.id, op.entity, try applyReady(op)))
                case .suffix(let suffix): drained.append((op.id, op.entity, try applyReady(suffix)))
                }
                try delete.execute(arguments: [row[0] as String, row[1] as Data, row[2] as Int64])
                moved = true
            }
            if !moved { return drained }
        }
    }
}
