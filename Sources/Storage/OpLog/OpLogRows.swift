import Foundation
import GRDB
import SyncCore

/// Rows of the op log (`ops`), of parked ops (`pending`) and of the version vectors (`versions`).
enum OpLogRows {
    static let insert = ChunkedInsert(
        table: "ops", columns: ["space", "hlc_ms", "hlc_counter", "replica", "seq", "last_seq", "entity", "kind", "op_count", "payload"])

    /// An op to append, with its entity's `entities.ref` and whether that entity is purged.
    struct Pending {
        let op: Op
        let entity: Int64
        let purged: Bool
    }

    /// Ops of the log that are stored as one row (`OpCodec.encodeGroup`): `ops[range]` of the
    /// appended ops, already in their logged form.
    struct Group: Equatable {
        let range: Range<Int>
        let entity: Int64
    }

    /// Log rows ready to insert, built from values alone: a flush builds them on another thread
    /// while its own inserts the rows of new entities (`FlushParts`).
    struct PreparedRows: Sendable {
        /// The ops as logged: erased where their entity is purged.
        let ops: [Op]
        /// The appended ops whose logged form is erased, whose digests `ErasedDigests` keeps.
        let erased: [Op]
        let groups: [Group]
        /// Each group's stored bytes (`OpCodec.encodeGroup`).
        let payloads: PackedBytes
    }

    /// Groups consecutive ops of one replica on one entity into one row (`OpCodec.canGroup`).
    /// Ops of a purged entity are logged erased (a `create` keeps its kind, which names no
    /// content), so content that arrives after a purge never reaches the disk.
    static func prepare(_ pending: [Pending]) -> PreparedRows {
        let ops = pending.map { $0.purged ? Op(id: $0.op.id, timestamp: $0.op.timestamp, payload: erasedForm($0.op.payload)) : $0.op }
        let groups = groups(of: ops, entities: pending.map(\.entity))
        var payloads = PackedBytes()
        for group in groups { payloads.append(OpCodec.encodeGroup(ops[group.range])) }
        return PreparedRows(ops: ops, erased: pending.filter(\.purged).map(\.op), groups: groups, payloads: payloads)
    }

    /// Appends prepared rows to the log, and their marks (`OpMarks`).
    static func write(_ prepared: PreparedRows, _ db: Database) throws {
        try ErasedDigests.record(prepared.erased, db)
        let ops = prepared.ops
        try insert.insert(prepared.groups.indices, db) { statement, index in
            let group = prepared.groups[index]
            let first = ops[group.range.lowerBound]
            statement.bind(first.id.space.name)
            statement.bind(Int64(first.timestamp.millis))
            statement.bind(Int64(first.timestamp.counter))
            statement.bind(high: first.id.replica.high, low: first.id.replica.low)
            statement.bind(Int64(first.id.seq))
            statement.bind(Int64(ops[group.range.upperBound - 1].lastSeq))
            statement.bind(group.entity)
            statement.bind(Int64(kind(of: first.payload)))
            statement.bind(Int64(group.range.count))
            statement.bind(bytes: prepared.payloads[index])
        }
        try OpMarks.record(prepared.groups.map { ops[$0.range.lowerBound] }, db)
    }

    /// Splits ops, in log order, into stored groups.
    static func groups(of ops: [Op], entities: [Int64]) -> [Group] {
        var groups: [Group] = []
        var start = 0
        for index in ops.indices.dropFirst() {
            let fits = index - start < OpCodec.maximumGroupCount && entities[index] == entities[start]
                && OpCodec.canGroup(ops[index], after: ops[index - 1])
            if !fits {
                groups.append(Group(range: start..<index, entity: entities[start]))
                start = index
            }
        }
        if !ops.isEmpty { groups.append(Group(range: start..<ops.count, entity: entities[start])) }
        return groups
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

    /// Rewrites every logged and parked op of a purged entity, in the entity's space, to its
    /// erased form. Ops naming it from another space changed nothing here and are not its
    /// content: a purge forged in another space must not erase them (Protocol.md 6.4).
    static func erasePayloads(of entity: EntityID, ref: Int64, space: SpaceID, _ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM ops WHERE entity = ? AND space = ? AND kind NOT IN (8, 9)
            """, arguments: [ref, space.name])
        let update = try db.cachedStatement(sql: """
            UPDATE ops SET kind = ?, payload = ? WHERE space = ? AND hlc_ms = ? AND hlc_counter = ? AND replica = ? AND seq = ?
            """)
        for row in rows {
            let stored = try ops(from: row)
            let erased = stored.map { Op(id: $0.id, timestamp: $0.timestamp, payload: erasedForm($0.payload)) }
            guard erased != stored else { continue }
            try ErasedDigests.record(stored, db)
            try update.execute(arguments: [
                Int64(kind(of: erased[0].payload)), Data(OpCodec.encodeGroup(erased[...])),
                row[0] as String, row[3] as Int64, row[4] as Int64, row[1] as Data, row[2] as Int64,
            ])
        }
        let parked = try Row.fetchAll(db, sql: """
            SELECT space, replica, seq, hlc_ms, hlc_counter, payload FROM pending WHERE entity = ? AND space = ?
            """, arguments: [Data(entity.bytes), space.name])
        for row in parked {
            let op = try op(from: row)
            let erased = erasedForm(op.payload)
            guard erased != op.payload else { continue }
            try ErasedDigests.record(CollectionOfOne(op), db)
            try db.execute(sql: "UPDATE pending SET payload = ? WHERE space = ? AND replica = ? AND seq = ?",
                           arguments: [Data(OpCodec.encodePayload(erased)), row[0] as String, row[1] as Data, row[2] as Int64])
        }
    }

    /// Decodes a `pending` row selected as (space, replica, seq, hlc_ms, hlc_counter, payload).
    static func op(from row: Row) throws -> Op {
        let ops = try self.ops(from: row)
        guard ops.count == 1 else { throw StoreError(.corrupt, "a parked op is stored as a group") }
        return ops[0]
    }

    /// Decodes an `ops` row selected as (space, replica, seq, hlc_ms, hlc_counter, payload): its
    /// op, or the ops of its group.
    static func ops(from row: Row) throws -> [Op] {
        let id = OpID(space: try SpaceID(row[0] as String), replica: try EntityRows.replicaID(row[1]), seq: UInt64(row[2] as Int64))
        return try stored([UInt8](row[5] as Data), id: id, timestamp: EntityRows.timestamp(row[3], row[4]))
    }

    /// Decodes a stored payload or group, as corruption of the store when it fails.
    static func stored(_ bytes: [UInt8], id: OpID, timestamp: Timestamp) throws -> [Op] {
        do { return try OpCodec.decodeStored(bytes, id: id, timestamp: timestamp) } catch {
            throw StoreError(.corrupt, "the op log row \(id) cannot be read: \(error)")
        }
    }

    /// Decodes the current row of a statement selecting (replica, seq, hlc_ms, hlc_counter,
    /// payload) from the ops of `space`: its op, or the ops of its group.
    static func ops(in space: SpaceID, from row: BoundStatement) throws -> [Op] {
        let replica = try row.withBlob(at: 0) { raw throws(StoreError) -> ReplicaID in
            guard let replica = ReplicaID(raw: raw) else { throw StoreError(.corrupt, "a stored replica id is not 16 bytes") }
            return replica
        }
        let id = OpID(space: space, replica: replica, seq: UInt64(row.int64(at: 1)))
        let timestamp = EntityRows.timestamp(row.int64(at: 2), row.int64(at: 3))
        return try row.withBlob(at: 4) { raw in try stored([UInt8](raw), id: id, timestamp: timestamp) }
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
