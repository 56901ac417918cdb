import Foundation
import GRDB
import SyncCore

/// A sparse index from (space, replica, seq) to the timestamp of that replica's op at that seq:
/// where in the log, ordered by timestamp, a peer's first missing op can be.
///
/// Why: the op log is keyed in serving order (space, timestamp, replica, seq), so "the ops a peer
/// lacks" is a walk of that key. Without a start point the walk begins at the space's first op,
/// and a sync that carries one new note into a 100k-note store reads the whole log to find it.
/// A replica's own ops carry increasing timestamps as their seqs increase (its clock is
/// monotonic), so the timestamp of any op of that replica at or before the peer's first missing
/// seq is a lower bound for every op the peer lacks from it. Marking every op would cost a third
/// B-tree entry per op on the write path; marking the first op of each replica in every
/// transaction, and one op in every `interval` seqs, keeps the walk within about `interval` of
/// that replica's ops (plus what other replicas wrote in between) at a few rows per transaction.
enum OpMarks {
    /// Seqs per mark within a long run of one replica's ops.
    static let interval: UInt64 = 256

    static let insert = ChunkedInsert(
        table: "op_marks", columns: ["space", "replica", "seq", "hlc_ms", "hlc_counter"])

    /// The rows to mark, given the first op of each row just appended: the first of each
    /// (space, replica) and one per `interval` seqs. Only a row's first op is ever marked: the
    /// walk starts at a row, and a mark inside a group would start it past the group's row.
    static func marks(in firstOps: [Op]) -> [Op] {
        var lastBucket: [OpKey: UInt64] = [:]
        var marked: [Op] = []
        for op in firstOps {
            let key = OpKey(space: op.id.space, replica: op.id.replica)
            let bucket = op.id.seq / interval
            if lastBucket[key] != bucket {
                lastBucket[key] = bucket
                marked.append(op)
            }
        }
        return marked
    }

    /// Records the marks of rows just appended to the log (given by their first ops), in the
    /// same transaction.
    static func record(_ firstOps: [Op], _ db: Database) throws {
        try insert.insert(marks(in: firstOps), db) { statement, op in
            statement.bind(op.id.space.name)
            statement.bind(high: op.id.replica.high, low: op.id.replica.low)
            statement.bind(Int64(op.id.seq))
            statement.bind(Int64(op.timestamp.millis))
            statement.bind(Int64(op.timestamp.counter))
        }
    }

    /// The earliest timestamp at which an op that a peer holding `vector` lacks can sit in
    /// `space`'s log, or nil when nothing bounds it (walk from the start).
    static func start(in space: SpaceID, lagging: [(replica: ReplicaID, seqs: ClosedRange<UInt64>)], _ db: Database) throws -> Timestamp? {
        var earliest: Timestamp?
        for entry in lagging {
            let row = try Row.fetchOne(db, sql: """
                SELECT hlc_ms, hlc_counter FROM op_marks
                WHERE space = ? AND replica = ? AND seq <= ? ORDER BY seq DESC LIMIT 1
                """, arguments: [space.name, Data(entry.replica.bytes), Int64(entry.seqs.lowerBound)])
            guard let row else { return nil }
            let mark = Timestamp(millis: UInt64(row[0] as Int64), counter: UInt32(row[1] as Int64))
            if earliest.map({ mark < $0 }) ?? true { earliest = mark }
        }
        return earliest
    }

    private struct OpKey: Hashable {
        let space: SpaceID
        let replica: ReplicaID
    }
}
