import Foundation
import GRDB
import SyncCore

/// Rows of the op log (`ops`), of parked ops (`pending`) and of the version vectors (`versions`).
enum OpLogRows {
    static let insert = ChunkedInsert(
        table: "ops", columns: ["space", "hlc_ms", "hlc_counter", "replica", "seq", "last_seq", "entity", "kind", "payload"])

    /// An op to append, with its entity's `entities.ref` and whether that entity is purged.
    struct Pending {
        let op: Op
        let entity: Int64
        let purged: Bool
    }

    /// Appends ops to the log. Ops of a purged entity are logged erased (a `create` keeps its
    /// kind, which names no content), so content that arrives after a purge never reaches the disk.
    static func append(_ ops: [Pending], _ db: Database) throws {
        try insert.insert(ops, db) { statement, pending in
            let op = pending.op
            let payload = pending.purged ? erasedForm(op.payload) : op.payload
            statement.bind(op.id.space.name)
            statement.bind(Int64(op.timestamp.millis))
            statement.bind(Int64(op.timestamp.counter))
            statement.bind(high: op.id.replica.high, low: op.id.replica.low)
            statement.bind(Int64(op.id.seq))
            statement.bind(Int64(op.lastSeq))
            statement.bind(pending.entity)
            statement.bind(Int64(kind(of: payload)))
            statement.bind(bytes: OpCodec.encodePayload(payload))
        }
        try OpMarks.record(ops, db)
    }

    /// The op kind stored beside the payload (`ops.kind`), so history and status can count kinds
    /// without decoding: the payload's tag in `OpCodec`'s standalone form (Protocol.md 1.6),
    /// 1 create … 8 purge, 9 erased.
    static func kind(of payload: OpPayload) -> UInt8 {
        switch payload {
        case .create: 1
        case .setField: 2
        case .addElement: 3
        case .removeElement: 4
        case .insertText: 5
        case .deleteText: 6
        case .setDeleted: 7
        case .purge: 8
        case .erased: 9
        }
    }

    /// What a purge leaves of a payload: `OpPayload.erasedForm`, except that `create` stays as it is.
    static func erasedForm(_ payload: OpPayload) -> OpPayload {
        if case .create = payload { return payload }
        return payload.erasedForm
    }

    /// Rewrites every logged and parked op of a purged entity to its erased form.
    static func erasePayloads(of entity: EntityID, ref: Int64, _ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT space, hlc_ms, hlc_counter, replica, seq, payload FROM ops WHERE entity = ? AND kind NOT IN (1, 8, 9)
            """, arguments: [ref])
        let update = try db.cachedStatement(sql: """
            UPDATE ops SET kind = ?, payload = ? WHERE space = ? AND hlc_ms = ? AND hlc_counter = ? AND replica = ? AND seq = ?
            """)
        for row in rows {
            let erased = erasedForm(try OpCodec.decodePayload([UInt8](row[5] as Data)))
            try update.execute(arguments: [
                Int64(kind(of: erased)), Data(OpCodec.encodePayload(erased)),
                row[0] as String, row[1] as Int64, row[2] as Int64, row[3] as Data, row[4] as Int64,
            ])
        }
        let parked = try Row.fetchAll(db, sql: "SELECT space, replica, seq, payload FROM pending WHERE entity = ?", arguments: [Data(entity.bytes)])
        for row in parked {
            let erased = erasedForm(try OpCodec.decodePayload([UInt8](row[3] as Data)))
            try db.execute(sql: "UPDATE pending SET payload = ? WHERE space = ? AND replica = ? AND seq = ?",
                           arguments: [Data(OpCodec.encodePayload(erased)), row[0] as String, row[1] as Data, row[2] as Int64])
        }
    }

    /// Decodes an `ops` or `pending` row selected as (space, replica, seq, hlc_ms, hlc_counter, payload).
    static func op(from row: Row) throws -> Op {
        Op(
            id: OpID(space: try SpaceID(row[0] as String), replica: try EntityRows.replicaID(row[1]), seq: UInt64(row[2] as Int64)),
            timestamp: EntityRows.timestamp(row[3], row[4]),
            payload: try OpCodec.decodePayload([UInt8](row[5] as Data)))
    }

    // MARK: Version vectors

    static func loadVector(_ space: SpaceID, _ db: Database) throws -> VersionVector {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT replica, seq FROM versions WHERE space = ?"), arguments: [space.name])
        var entries: [ReplicaID: UInt64] = [:]
        for row in rows { entries[try EntityRows.replicaID(row[0])] = UInt64(row[1] as Int64) }
        return VersionVector(entries)
    }

    static func loadAllVectors(_ db: Database) throws -> [SpaceID: VersionVector] {
        var vectors: [SpaceID: VersionVector] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT space, replica, seq FROM versions") {
            vectors[try SpaceID(row[0] as String), default: VersionVector()].advance(try EntityRows.replicaID(row[1]), to: UInt64(row[2] as Int64))
        }
        return vectors
    }

    /// This replica's own entry in every space, which is all an `OpFactory` needs.
    static func loadOwnVectors(_ replica: ReplicaID, _ db: Database) throws -> [SpaceID: VersionVector] {
        var vectors: [SpaceID: VersionVector] = [:]
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT space, seq FROM versions WHERE replica = ?"), arguments: [Data(replica.bytes)])
        for row in rows { vectors[try SpaceID(row[0] as String)] = VersionVector([replica: UInt64(row[1] as Int64)]) }
        return vectors
    }

    static func saveVectorEntry(_ space: SpaceID, _ replica: ReplicaID, _ seq: UInt64, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO versions (space, replica, seq) VALUES (?, ?, ?)")
            .execute(arguments: [space.name, Data(replica.bytes), Int64(seq)])
    }
}
