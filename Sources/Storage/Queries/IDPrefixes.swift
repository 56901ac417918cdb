import Foundation
import GRDB
import SyncCore

/// How entity ids are shown to people, and read back from what they type.
///
/// An id is 48 bits of creation time then 80 random bits (`EntityID`). People see a prefix of the
/// random part, its *tail* (`EntityID.randomHex`): every note written in the same minute shares
/// the first time digits, so prefixes of those grew long and a one-digit typo named a neighbour.
/// With 8 random digits a typo names another of 20,000 notes about once in 200,000 tries.
///
/// Two rules keep a shown id naming the same entity for ever on this device, whatever is written
/// or synced later:
/// - Shown length: 8 digits, or one more than the most tail digits the entity shares with any
///   entity this device knew before it (a lower `entities.ref`: rows are numbered as they arrive).
///   Only earlier entities count, so nothing arriving later changes an id already shown.
/// - Resolving: of the entities whose tail starts with the typed digits, the one known longest is
///   meant when the typed digits are at least as many as its shown id; fewer are ambiguous. No
///   earlier entity shares a shown id's digits, so they find their entity first; a later one that
///   shares them was given a longer id.
/// Notes, cases, findings and evidence records share these rules, as they share the id space.
extension Store {
    /// The id to print for `id`: see the rules above.
    public func shownID(of id: EntityID) throws(StoreError) -> String {
        try shownIDs(of: [id])[id] ?? id.hex
    }

    /// `shownID(of:)` for many ids, in one read transaction: one range of the tail index each,
    /// which holds the id alone unless another entity shares its first 8 random digits.
    public func shownIDs(of ids: [EntityID]) throws(StoreError) -> [EntityID: String] {
        try read { db in
            var shown: [EntityID: String] = [:]
            for id in ids { shown[id] = try ShownIDs.shown(id, db) }
            return shown
        }
    }

    /// The entity of `kind` (nil: any) that `typed` names: a shown id, a longer prefix of the
    /// random part, a shorter one that only one entity has, or the full 32-digit id (any case).
    /// Throws `unknownID` when none does, and `ambiguousID`, listing the candidates' shown ids,
    /// when the digits are fewer than the shown id of the entity known longest among several.
    public func resolve(prefix typed: String, kind: EntityKind? = .note) throws(StoreError) -> EntityID {
        let digits = typed.lowercased()
        let noun = kind.map(String.init(describing:)) ?? "entity"
        guard !digits.isEmpty, digits.utf8.allSatisfy(ShownIDs.isHexDigit),
              digits.count <= ShownIDs.tailDigits || digits.count == 32 else {
            throw StoreError(.invalidArgument, "\"\(typed)\" is not a \(noun) id: type the id as shown (hex digits like 7c2e91f4) or the full 32-digit id")
        }
        let found = try read { db throws -> ShownIDs.Entity? in
            if let full = EntityID(hex: digits) { return try ShownIDs.entity(full, db) }
            let matches = try ShownIDs.matching(digits, limit: 6, db)
            guard let oldest = matches.first else { return nil }
            if matches.count == 1 { return oldest }
            if try digits.count >= ShownIDs.shown(oldest.id, db).count { return oldest }
            let candidates = try matches.prefix(5).map { candidate in try ShownIDs.shown(candidate.id, db) }
            let more = matches.count > 5 ? ", …" : ""
            throw StoreError(.ambiguousID, "id \(typed) is ambiguous: \(candidates.joined(separator: ", "))\(more); type more of its digits")
        }
        guard let found, kind == nil || found.kind == kind?.rawValue else {
            throw StoreError(.unknownID, "no \(noun) with id \(typed)")
        }
        return found.id
    }
}

enum ShownIDs {
    /// An entity as the lookups see it.
    struct Entity {
        /// The local arrival order.
        var ref: Int64
        var id: EntityID
        var kind: UInt8?
    }

    static let minimumLength = 8
    static let tailDigits = 20

    /// Entities whose tail lies between two blobs (the 3rd and 4th arguments), known longest
    /// first: a range of `entities_by_tail`, which keys the tails' first two bytes (the 1st and
    /// 2nd arguments), and the whole tail checked on each row of it.
    static let matchingSQL = """
        SELECT ref, id, kind FROM entities
        WHERE substr(id, 7, 2) BETWEEN ? AND ? AND substr(id, 7) BETWEEN ? AND ? ORDER BY ref LIMIT ?
        """

    /// Every entity whose tail starts with `digits`, known longest first (at most `limit`).
    static func matching(_ digits: some StringProtocol, limit: Int? = nil, _ db: Database) throws -> [Entity] {
        let (low, high) = tailRange(digits)
        return try Row.fetchAll(db.cachedStatement(sql: matchingSQL),
                                arguments: [low.prefix(2), high.prefix(2), low, high, limit ?? -1]).map(entity)
    }

    static func entity(_ id: EntityID, _ db: Database) throws -> Entity? {
        let statement = try db.cachedStatement(sql: "SELECT ref, id, kind FROM entities WHERE id = ?")
        return try Row.fetchOne(statement, arguments: [Data(id.bytes)]).map(entity)
    }

    static func shown(_ id: EntityID, _ db: Database) throws -> String {
        let neighbours = try matching(id.randomHex.prefix(minimumLength), db)
        // An id not (yet) in the store is shown as if it were the newest.
        let ref = neighbours.first { $0.id == id }?.ref ?? .max
        let shared = neighbours.lazy.filter { $0.ref < ref }.map { sharedTailDigits(id, $0.id) }.max() ?? 0
        let length = max(minimumLength, shared + 1)
        return length > tailDigits ? id.hex : String(id.randomHex.prefix(length))
    }

    /// How many leading digits the random parts of two ids have in common (20 when equal).
    static func sharedTailDigits(_ lhs: EntityID, _ rhs: EntityID) -> Int {
        let high = (lhs.high ^ rhs.high) & 0xFFFF
        if high != 0 { return (high.leadingZeroBitCount - 48) / 4 }
        let low = lhs.low ^ rhs.low
        return low == 0 ? tailDigits : 4 + low.leadingZeroBitCount / 4
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// The smallest and largest 10-byte tails that start with `digits` (lower-case hex, at most 20):
    /// an odd count ends in half a byte, so its last byte ranges over the other half.
    private static func tailRange(_ digits: some StringProtocol) -> (Data, Data) {
        func bytes(padding pad: Character) -> Data {
            let hex = Array(String(digits).padding(toLength: tailDigits, withPad: String(pad), startingAt: 0).utf8)
            return Data(stride(from: 0, to: tailDigits, by: 2).map { UInt8(nibble(hex[$0]) << 4 | nibble(hex[$0 + 1])) })
        }
        return (bytes(padding: "0"), bytes(padding: "f"))
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "a") + 10
    }

    private static func entity(_ row: Row) -> Entity {
        Entity(ref: row[0], id: EntityID(bytes: row[1] as Data)!, kind: row[2])
    }
}
