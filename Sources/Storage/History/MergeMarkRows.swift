import Foundation
import GRDB
import SyncCore

/// Rows of the local-only `merge_marks` table: one per note and sync that met concurrent changes.
enum MergeMarkRows {
    /// A stored mark with the two vectors that say what each side had seen.
    struct Stored {
        var mark: MergeMark
        var localVector: VersionVector
        var remoteVector: VersionVector
    }

    /// Saves `mark`, merged with the mark an earlier batch of the same sync left for the same note
    /// (same sender vector), and returns what is stored.
    static func save(_ mark: MergeMark, ref: Int64, context: MergeContext, _ db: Database) throws -> MergeMark {
        let remoteVector = Data(encode(context.senderVector))
        var mark = mark
        if let earlier = try Row.fetchOne(db, sql: """
            SELECT text, fields, local_authors, remote_authors FROM merge_marks WHERE entity = ? AND remote_vector = ?
            """, arguments: [ref, remoteVector]) {
            mark.text = mark.text || (earlier[0] as Int64) != 0
            mark.fields = Set(mark.fields).union(fieldList(earlier[1])).sorted()
            mark.localAuthors = Set(mark.localAuthors).union(try replicas(earlier[2])).sorted()
            mark.remoteAuthors = Set(mark.remoteAuthors).union(try replicas(earlier[3])).sorted()
        }
        try db.execute(sql: """
            INSERT OR REPLACE INTO merge_marks
                (entity, merged_ms, text, fields, local_authors, remote_authors, sender, local_vector, remote_vector)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                ref, Int64(mark.mergedMillis), mark.text ? 1 : 0, mark.fields.joined(separator: "\n"),
                Data(mark.localAuthors.flatMap(\.bytes)), Data(mark.remoteAuthors.flatMap(\.bytes)),
                Data(mark.sender.bytes), Data(encode(context.localVector)), remoteVector,
            ])
        return mark
    }

    /// The marks of the note with `ref`, oldest first.
    static func load(note: EntityID, ref: Int64, _ db: Database) throws -> [Stored] {
        try Row.fetchAll(db, sql: """
            SELECT merged_ms, text, fields, local_authors, remote_authors, sender, local_vector, remote_vector
            FROM merge_marks WHERE entity = ? ORDER BY merged_ms
            """, arguments: [ref]).map { row in
                let mark = MergeMark(
                    note: note, mergedMillis: UInt64(max(0, row[0] as Int64)), text: (row[1] as Int64) != 0,
                    fields: fieldList(row[2]), localAuthors: try replicas(row[3]), remoteAuthors: try replicas(row[4]),
                    sender: try EntityRows.replicaID(row[5]))
                return Stored(mark: mark, localVector: try decode(row[6]), remoteVector: try decode(row[7]))
            }
    }

    private static func fieldList(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    private static func replicas(_ data: Data) throws -> [ReplicaID] {
        guard data.count % 16 == 0 else { throw StoreError(.corrupt, "a merge mark's replica list is not whole ids") }
        return try stride(from: 0, to: data.count, by: 16).map { offset in
            try EntityRows.replicaID(data.subdata(in: offset..<offset + 16))
        }
    }

    // MARK: Vectors

    /// A vector as 24 bytes an entry, sorted by replica: the id, then the seq big-endian.
    static func encode(_ vector: VersionVector) -> [UInt8] {
        var bytes: [UInt8] = []
        for (replica, seq) in vector.entries.sorted(by: { $0.key < $1.key }) {
            bytes += replica.bytes
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: seq >> UInt64(shift))) }
        }
        return bytes
    }

    static func decode(_ data: Data) throws -> VersionVector {
        let bytes = [UInt8](data)
        guard bytes.count % 24 == 0 else { throw StoreError(.corrupt, "a merge mark's version vector is not whole entries") }
        var entries: [ReplicaID: UInt64] = [:]
        for offset in stride(from: 0, to: bytes.count, by: 24) {
            let replica = try EntityRows.replicaID(Data(bytes[offset..<offset + 16]))
            entries[replica] = bytes[offset + 16..<offset + 24].reduce(0) { $0 << 8 | UInt64($1) }
        }
        return VersionVector(entries)
    }
}
