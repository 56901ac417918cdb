import GRDB
import SyncCore

/// The working set of one write transaction: entity states, version vectors, the clock, and the
/// ops to log, all written out together by `flush()` just before commit.
///
/// Entity states are loaded once from the materialised rows and cached, so a batch of a thousand
/// ops on one note loads and writes that note once. Merge rules live only in SyncCore: this type
/// never decides what an op does, it asks `EntityState.apply` (remote ops) or the local-edit
/// methods (local ops) and stores the result.
///
/// Not Sendable: it lives and dies inside one `DatabasePool.write` closure, on the writer's queue.
final class WriteSession {
    let db: Database
    let replica: ReplicaID
    let wallMillis: UInt64
    var clock: HybridLogicalClock
    private let clockAtStart: Timestamp

    /// One cached entity and what flushing it needs to know.
    final class Entry {
        var state: EntityState
        /// `entities.ref`, nil until the row exists.
        var ref: Int64?
        /// The state's purge flag as loaded; a change to true triggers erasure of the log.
        var wasPurged: Bool
        /// Whether its rows must be written at flush.
        var dirty = false

        init(state: EntityState, ref: Int64?) {
            self.state = state
            self.ref = ref
            self.wasPurged = state.isPurged
        }
    }

    private var entries: [EntityID: Entry] = [:]
    /// Entities known to have no row and no entry (`probe`): `entry` need not ask the store.
    private var absent = Set<EntityID>()
    /// Entities in the order first touched, so flushing is deterministic.
    private var touched: [EntityID] = []
    /// Vectors of the spaces read so far, except the current space's, which is `current`.
    private var vectors: [SpaceID: VersionVector] = [:]
    /// The space the last op read or advanced belongs to, and its vector, kept out of `vectors`
    /// until another space is needed (`settleCurrent`).
    private var current: (space: SpaceID, vector: VersionVector)?
    private var changedVectorEntries: [SpaceID: Set<ReplicaID>] = [:]
    /// The entry last recorded in `changedVectorEntries`, so a run of one replica's ops skips it.
    private var lastChanged: (space: SpaceID, replica: ReplicaID)?
    /// The entry last looked up, so a run of ops on one entity skips the dictionary.
    private var lastEntry: Entry?
    private var logged: [Op] = []
    /// Entities purged by this transaction; the store truncates the WAL after commit.
    private(set) var erasedEntities: [EntityID] = []
    /// Authors whose received ops are logged, relayed and counted but change nothing here: the
    /// devices this one grants the ops' space read-only (`Store.apply(_:merging:proof:muting:)`).
    var muted: Set<ReplicaID> = []
    /// Whether flush leaves live notes' search rows to `SearchBacklog` instead of the index:
    /// batches received from a peer.
    var defersSearchIndex = false

    init(db: Database, replica: ReplicaID, wallMillis: UInt64) throws {
        self.db = db
        self.replica = replica
        self.wallMillis = wallMillis
        self.clock = try Settings.loadClock(db)
        self.clockAtStart = clock.last
    }

    // MARK: Version vectors

    // Every op received reads its space's vector and every op logged advances it. A batch is
    // one space, and mostly runs of one replica: with the current space's vector held aside
    // and the last changed entry remembered, those ops hash neither the space's name nor, for
    // the bookkeeping, the replica (hashing was 5 % of a bulk import's instructions and 2 % of
    // a received note's, callgrind).

    func vector(_ space: SpaceID) throws -> VersionVector {
        try makeCurrent(space)
        return current!.vector
    }

    /// Makes `space` the current space, putting the previous one's vector back.
    private func makeCurrent(_ space: SpaceID) throws {
        if let current, current.space == space { return }
        settleCurrent()
        let vector = try vectors.removeValue(forKey: space) ?? OpLogRows.loadVector(space, db)
        current = (space, vector)
    }

    /// Puts the current space's vector back into `vectors`, before anything reads them all.
    private func settleCurrent() {
        guard let current else { return }
        vectors[current.space] = current.vector
        self.current = nil
    }

    private func advance(_ space: SpaceID, _ replica: ReplicaID, to seq: UInt64) throws {
        try makeCurrent(space)
        // In place: a copy taken out would be copied again on write, per op.
        guard current!.vector.advance(replica, to: seq) else { return }
        if let last = lastChanged, last.space == space, last.replica == replica { return }
        changedVectorEntries[space, default: []].insert(replica)
        lastChanged = (space, replica)
    }

    // MARK: Entity states

    /// The stored or cached state of `id`, nil when the store has never seen it.
    func existingState(_ id: EntityID) throws -> EntityState? {
        try entry(id, createIfMissing: false)?.state
    }

    /// Replaces the cached state of `id`; its rows are rewritten at flush.
    func put(_ state: EntityState) {
        if let entry = entries[state.id] {
            entry.state = state
            entry.dirty = true
        } else {
            let entry = Entry(state: state, ref: nil)
            entry.dirty = true
            entries[state.id] = entry
            touched.append(state.id)
        }
    }

    /// Changes the state of `id` (empty when the store has never seen it: a remote op may arrive
    /// before its create) in place; its rows are
    /// rewritten at flush. In place matters: a state copied out, changed and put back copied its
    /// fields, sets and text on every op, because the cache still held the original.
    func update(_ id: EntityID, _ change: (inout EntityState) -> Void) throws {
        let entry = try entry(id, createIfMissing: true)!
        change(&entry.state)
        entry.dirty = true
    }

    /// Replaces the state of `id` with one rebuilt for the space a bound create names
    /// (`EntityState.takesOverSpace`). A purge of the space it was filed under was no purge of
    /// the rebuilt entity, so a purge among its own ops counts as new and erases them at flush.
    func takeOver(_ id: EntityID, with state: EntityState) throws {
        let entry = try entry(id, createIfMissing: true)!
        entry.state = state
        entry.wasPurged = false
        entry.dirty = true
    }

    /// The state of `id` (empty when the store has never seen it), now in the working set: for a
    /// look before an `update` of the same entity, which then finds it without probing the store.
    func cachedState(_ id: EntityID) throws -> EntityState {
        try entry(id, createIfMissing: true)!.state
    }

    /// Whether `id` is already in the working set.
    func isCached(_ id: EntityID) -> Bool { entries[id] != nil }

    /// The `entities.ref` and current state of a cached entity whose row existed before this
    /// transaction (until flush, only those have a ref): merge detection looks only at these.
    func preexisting(_ id: EntityID) -> (ref: Int64, state: EntityState)? {
        guard let entry = entries[id], let ref = entry.ref else { return nil }
        return (ref, entry.state)
    }

    /// Finds out in a few statements which entities of `ops` the store has never seen, so that
    /// applying them creates their entries without probing the store one entity at a time.
    func probe(entitiesOf ops: [Op]) throws {
        var unknown: [EntityID] = []
        var asked = Set<EntityID>()
        var last: EntityID?
        // By index: the element is borrowed, where `for op in ops` copies every op.
        for index in ops.indices {
            let id = ops[index].entity
            guard id != last else { continue }
            last = id
            if entries[id] == nil, !absent.contains(id), asked.insert(id).inserted { unknown.append(id) }
        }
        guard !unknown.isEmpty else { return }
        // Room for all of them at once: a first sync's batch adds a thousand entries, and
        // growing the table step by step rehashed it (1 % of the receiving thread).
        entries.reserveCapacity(entries.count + unknown.count)
        touched.reserveCapacity(touched.count + unknown.count)
        absent.reserveCapacity(absent.count + unknown.count)
        let existing = try EntityRows.existing(unknown, db)
        for id in unknown where !existing.contains(id) { absent.insert(id) }
    }

    private func entry(_ id: EntityID, createIfMissing: Bool) throws -> Entry? {
        if let last = lastEntry, last.state.id == id { return last }
        if let entry = entries[id] {
            lastEntry = entry
            return entry
        }
        let entry: Entry
        if absent.contains(id) {
            guard createIfMissing else { return nil }
            entry = Entry(state: EntityState(id: id), ref: nil)
        } else if let (ref, state) = try EntityRows.load(id, db) {
            entry = Entry(state: state, ref: ref)
        } else if createIfMissing {
            entry = Entry(state: EntityState(id: id), ref: nil)
        } else {
            return nil
        }
        entries[id] = entry
        touched.append(id)
        lastEntry = entry
        return entry
    }

    // MARK: Ops

    /// Makes room for `count` more ops to log, so that a batch's log grows once.
    func reserveLog(_ count: Int) {
        logged.reserveCapacity(logged.count + count)
    }

    /// Appends an applied op to the log (at flush) and advances the vector past it.
    func log(_ op: Op) throws {
        logged.append(op)
        try advance(op.id.space, op.id.replica, to: op.lastSeq)
    }

    /// The ops applied in this transaction, in the order applied; they reach the log at flush.
    var unflushedOps: [Op] { logged }

    /// Every op of `id` in `space` logged so far: the stored ones and this transaction's.
    func loggedOps(of id: EntityID, in space: SpaceID) throws -> [Op] {
        var ops: [Op] = []
        if let ref = entries[id]?.ref {
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE entity = ? AND space = ?
                """), arguments: [ref, space.name])
            for row in rows { ops += try OpLogRows.ops(from: row) }
        }
        return ops + logged.filter { $0.entity == id && $0.id.space == space }
    }

    /// A factory that numbers this replica's next ops after everything it has logged.
    func makeFactory() throws -> OpFactory {
        settleCurrent()
        var own = try OpLogRows.loadOwnVectors(replica, db)
        for (space, vector) in vectors { own[space] = VersionVector([replica: vector[replica]]) }
        return OpFactory(replica: replica, clock: clock, wallMillis: wallMillis, versions: own)
    }

    /// A factory for another author's ops (`PseudonymousAuthor`): numbered after everything of
    /// it logged, stamped from `clock` and `wallMillis`, not from this store's clock.
    func makeFactory(for author: ReplicaID, wallMillis: UInt64, clock: HybridLogicalClock) throws -> OpFactory {
        settleCurrent()
        var seqs = try OpLogRows.loadOwnVectors(author, db)
        for (space, vector) in vectors { seqs[space] = VersionVector([author: vector[author]]) }
        return OpFactory(replica: author, clock: clock, wallMillis: wallMillis, versions: seqs)
    }

    /// Takes back the factory's clock after local edits.
    func absorb(_ factory: OpFactory) {
        clock = factory.clock
    }

    // MARK: Flush

    /// Writes every change of the transaction: materialised rows, the op log (erased for purged
    /// entities), erasure of older log rows of newly purged entities, vectors, the clock, and
    /// last the search index.
    ///
    /// The search index goes last on purpose. FTS5 flushes the terms it holds in memory to a new
    /// on-disk segment at every statement savepoint, and most statements here open one (an
    /// insert into a table with a unique index or foreign keys). Written in between, each note's
    /// terms became a segment of their own, to be merged again later; written after everything
    /// else, a whole transaction's terms reach the index as one segment at commit.
    func flush() throws {
        let rows = EntityRows(db)
        var saved: [Entry] = []
        var fresh: [Entry] = []
        var materialRows = MaterialRows()
        for id in touched {
            guard let entry = entries[id], entry.dirty else { continue }
            if entry.ref == nil { fresh.append(entry) } else { try rows.save(entry, rows: &materialRows); saved.append(entry) }
            entry.dirty = false
        }
        try rows.number(fresh)
        absent.removeAll()
        var opRows: [OpLogRows.Pending] = []
        opRows.reserveCapacity(logged.count)
        // By index: each op is copied once, into its row, not first out of the array.
        for index in logged.indices {
            guard let entry = entries[logged[index].entity], let ref = entry.ref else {
                throw StoreError(.database, "internal: op \(logged[index].id) logged without its entity")
            }
            opRows.append(OpLogRows.Pending(op: logged[index], entity: ref, purged: entry.state.isPurged(in: logged[index].id.space)))
        }
        logged.removeAll()
        let parts = FlushParts(fresh: fresh.map { ($0.ref!, $0.state) }, log: opRows)
        defer { parts.finish() }
        try materialRows.write(db)
        var backlog: [Int64] = []
        for run in 0..<parts.freshRuns {
            let rows = parts.fresh(run)
            try rows.write(db)
            if defersSearchIndex { backlog += rows.indexed }
        }
        try OpLogRows.write(parts.log(), db)
        var newlyPurged: [(entry: Entry, space: SpaceID)] = []
        for id in touched {
            // A purged state has a space: the purge's, or the stored row's.
            guard let entry = entries[id], entry.state.isPurged, !entry.wasPurged, let space = entry.state.space,
                  !erasedEntities.contains(id) else { continue }
            newlyPurged.append((entry, space))
        }
        for (entry, space) in newlyPurged {
            try OpLogRows.erasePayloads(of: entry.state.id, ref: entry.ref!, space: space, db)
            erasedEntities.append(entry.state.id)
        }
        settleCurrent()
        for (space, replicas) in changedVectorEntries {
            let vector = vectors[space]!
            for replica in replicas { try OpLogRows.saveVectorEntry(space, replica, vector[replica], db) }
        }
        changedVectorEntries.removeAll()
        lastChanged = nil
        if clock.last != clockAtStart { try Settings.saveClock(clock, db) }
        for entry in saved { try updateSearch(ref: entry.ref!, state: entry.state, backlog: &backlog) }
        if !defersSearchIndex {
            for entry in fresh { try SearchIndex.update(ref: entry.ref!, state: entry.state, isNew: true, db) }
        }
        try SearchBacklog.record(backlog, db)
        if !newlyPurged.isEmpty { try SearchIndex.optimize(db) }
    }

    /// Keeps the search row of a note that had a row before this transaction current, now or
    /// through the backlog (`SearchBacklog`): in either case the version of it the index held is
    /// removed at once, so search never finds what the note no longer says. (A new note's row
    /// comes from `FreshRows.indexed`, or `SearchIndex.update`.)
    /// The refs to record in the backlog are gathered in `backlog`, none of which has a row there
    /// any more (it was forgotten here), and recorded together.
    private func updateSearch(ref: Int64, state: EntityState, backlog: inout [Int64]) throws {
        try SearchBacklog.forget(ref: ref, db)
        guard defersSearchIndex else {
            return try SearchIndex.update(ref: ref, state: state, isNew: false, db)
        }
        try SearchIndex.remove(ref: ref, db)
        if SearchIndex.indexes(state) { backlog.append(ref) }
    }
}
