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
    /// Reads at most `limit` rows, walking the `ops` table's primary key — which is this order —
    /// from the cursor (one range condition per replica the peer lags behind), never the whole log. An insertion run the peer holds in part is
    /// sent whole; the receiver's `Delivery` keeps only the unseen suffix.
    public func ops(in space: SpaceID, above vector: VersionVector, after cursor: OpCursor? = nil, limit: Int = 500) throws(StoreError) -> OpPage {
        precondition(limit > 0, "a page holds at least one op")
        return try read { db in
            let held = try OpLogRows.loadVector(space, db)
            let lagging = held.missing(from: vector)
            guard !lagging.isEmpty else { return OpPage(ops: [], next: nil) }
            var sql = "SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE space = ?"
            var arguments: [(any DatabaseValueConvertible)?] = [space.name]
            if let cursor {
                sql += " AND (hlc_ms, hlc_counter, replica, seq) > (?, ?, ?, ?)"
                arguments += [Int64(cursor.timestamp.millis), Int64(cursor.timestamp.counter), Data(cursor.replica.bytes), Int64(cursor.seq)]
            } else if let start = try OpMarks.start(in: space, lagging: lagging, db) {
                // The first page starts where the earliest missing op can be, not at the log's
                // beginning: the walk follows the delta, not the size of the store.
                sql += " AND (hlc_ms, hlc_counter) >= (?, ?)"
                arguments += [Int64(start.millis), Int64(start.counter)]
            }
            // A peer that knows a replica not at all gets all of it: no seq condition needed.
            let ranges = lagging.map { entry -> String in
                arguments.append(Data(entry.replica.bytes))
                arguments.append(Int64(entry.seqs.lowerBound - 1))
                // `+replica`: keeps the planner from treating one lagging replica as an equality
                // and sorting, so it walks the primary key in order and stops at the LIMIT.
                return "(+replica = ? AND last_seq > ?)"
            }
            sql += " AND (" + ranges.joined(separator: " OR ") + ")"
            sql += " ORDER BY hlc_ms, hlc_counter, replica, seq LIMIT ?"
            arguments.append(limit + 1)
            var ops = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(OpLogRows.op(from:))
            let more = ops.count > limit
            if more { ops.removeLast() }
            return OpPage(ops: ops, next: more ? ops.last.map(OpCursor.init(after:)) : nil)
        }
    }
}
