import Foundation
import GRDB
import SyncCore

/// A position in a space's op log in (timestamp, replica, seq) order: where the next page starts.
public struct OpCursor: Sendable, Hashable {
    public var timestamp: Timestamp
    public var replica: ReplicaID
    public var seq: UInt64

    public init(timestamp: Timestamp, replica: ReplicaID, seq: UInt64) {
        self.timestamp = timestamp
        self.replica = replica
        self.seq = seq
    }

    /// The cursor just past `op`.
    public init(after op: Op) {
        self.init(timestamp: op.timestamp, replica: op.id.replica, seq: op.id.seq)
    }
}

/// One page of ops a peer lacks, and the cursor for the next page (nil when this was the last).
public struct OpPage: Sendable, Hashable {
    public var ops: [Op]
    public var next: OpCursor?
}

extension Store {
    /// Every space's version vector: what this store holds, per replica.
    public func versionVectors() throws(StoreError) -> [SpaceID: VersionVector] {
        try read { db in try OpLogRows.loadAllVectors(db) }
    }

    /// The version vector of one space (empty when the store holds nothing of it).
    public func versionVector(_ space: SpaceID) throws(StoreError) -> VersionVector {
        try read { db in try OpLogRows.loadVector(space, db) }
    }

    /// One page of the ops in `space` that a peer holding `vector` lacks, in (timestamp, replica,
    /// seq) order — a causal order, so the peer can apply each page as it arrives.
    ///
    /// Pass the page's `next` cursor back to get the following page; `next` is nil on the last one.
    /// Holds about `limit` ops (more by at most a stored group's ops), walking the `ops` table's
    /// primary key — which is this order — from the cursor (one range condition per replica the
    /// peer lags behind), never the whole log. An insertion run the peer holds in part is sent
    /// whole; the receiver's `Delivery` keeps only the unseen suffix.
    public func ops(in space: SpaceID, above vector: VersionVector, after cursor: OpCursor? = nil, limit: Int = 500) throws(StoreError) -> OpPage {
        precondition(limit > 0, "a page holds at least one op")
        return try read { db in
            let held = try OpLogRows.loadVector(space, db)
            let lagging = held.missing(from: vector)
            guard !lagging.isEmpty else { return OpPage(ops: [], next: nil) }
            var sql = "SELECT replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE space = ?"
            var start: Timestamp? = nil
            if cursor != nil {
                sql += " AND (hlc_ms, hlc_counter, replica, seq) > (?, ?, ?, ?)"
            } else if let mark = try OpMarks.start(in: space, lagging: lagging, db) {
                // The first page starts where the earliest missing op can be, not at the log's
                // beginning: the walk follows the delta, not the size of the store.
                sql += " AND (hlc_ms, hlc_counter) >= (?, ?)"
                start = mark
            }
            // A peer that knows a replica not at all gets all of it: no seq condition needed.
            // `+replica`: keeps the planner from treating one lagging replica as an equality and
            // sorting, so it walks the primary key in order and can stop at the page's end.
            sql += " AND (" + Array(repeating: "(+replica = ? AND last_seq > ?)", count: lagging.count).joined(separator: " OR ") + ")"
            // No LIMIT: the walk stops stepping once the page is full (SQLite reads rows lazily),
            // at a row boundary where no group's ops are still waiting (below).
            sql += " ORDER BY hlc_ms, hlc_counter, replica, seq"

            // Read column by column from SQLite (BoundStatement): this query feeds every batch a
            // peer receives, and GRDB's rows cost more than decoding the ops.
            var statement = try BoundStatement(db, sql: sql)
            statement.bind(space.name)
            if let cursor {
                statement.bind(Int64(cursor.timestamp.millis))
                statement.bind(Int64(cursor.timestamp.counter))
                statement.bind(high: cursor.replica.high, low: cursor.replica.low)
                statement.bind(Int64(cursor.seq))
            } else if let start {
                statement.bind(Int64(start.millis))
                statement.bind(Int64(start.counter))
            }
            for entry in lagging {
                statement.bind(high: entry.replica.high, low: entry.replica.low)
                statement.bind(Int64(entry.seqs.lowerBound - 1))
            }
            // Rows come in order of their first ops; a group's later ops wait in `merge` until they
            // are due. The page ends only where nothing waits, so the next page, which starts
            // after the last op sent, misses nothing.
            var ops: [Op] = []
            ops.reserveCapacity(min(limit + OpCodec.maximumGroupCount, 4096))
            var merge = LogOrderMerge()
            var more = false
            while try statement.nextRow() {
                let rowOps = try OpLogRows.ops(in: space, from: statement)
                merge.release(before: rowOps[0], into: &ops)
                if ops.count >= limit && merge.isEmpty {
                    more = true
                    statement.reset()
                    break
                }
                // An op the peer holds already (the head of a group it holds in part) is left out.
                merge.add(rowOps.filter { $0.lastSeq > vector[$0.id.replica] }.map(Self.servable))
            }
            merge.releaseAll(into: &ops)
            return OpPage(ops: ops, next: more ? ops.last.map(OpCursor.init(after:)) : nil)
        }
    }

    /// `op` as a peer may receive it. An op a peer's decoder would refuse (an insertion longer
    /// than a note may be, stored before the limit existed or written around it) goes in its
    /// erased form: the peer holds its sequence numbers and takes every op after it, instead of
    /// refusing the whole batch, and so the whole sync, again at every session.
    static func servable(_ op: Op) -> Op {
        guard !OpCodec.Limits.default.admits(op.payload) else { return op }
        return Op(id: op.id, timestamp: op.timestamp, payload: op.payload.erasedForm)
    }

    /// The ops of one replica in `space` that occupy any of `seqs`, in seq order: what an author
    /// signs, and what a relay hashes to prove a chain (Protocol.md 2.8). Starts at the op mark
    /// before the range, so it reads about the range, not the log.
    public func ops(of replica: ReplicaID, in space: SpaceID, seqs: ClosedRange<UInt64>) throws(StoreError) -> [Op] {
        try read { db in
            let start = try OpMarks.start(in: space, lagging: [(replica, seqs)], db) ?? Timestamp(millis: 0, counter: 0)
            var statement = try BoundStatement(db, sql: """
                SELECT replica, seq, hlc_ms, hlc_counter, payload FROM ops
                WHERE space = ? AND (hlc_ms, hlc_counter) >= (?, ?) AND +replica = ? AND last_seq >= ?
                ORDER BY hlc_ms, hlc_counter, replica, seq
                """)
            statement.bind(space.name)
            statement.bind(Int64(start.millis))
            statement.bind(Int64(start.counter))
            statement.bind(high: replica.high, low: replica.low)
            statement.bind(Int64(clamping: seqs.lowerBound))
            var ops: [Op] = []
            while try statement.nextRow() {
                if UInt64(statement.int64(at: 1)) > seqs.upperBound {
                    statement.reset()
                    break
                }
                ops += try OpLogRows.ops(in: space, from: statement).filter { $0.lastSeq >= seqs.lowerBound && $0.id.seq <= seqs.upperBound }
            }
            return ops
        }
    }
}
