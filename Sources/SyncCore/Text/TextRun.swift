/// A character id with its replica replaced by an index into the sequence's replica table.
///
/// Runs hold their neighbours' ids; with 16-byte replica ids every comparison during
/// integration would compare 24 bytes and every run would carry 48 bytes of ids. An index
/// makes a reference 12 bytes and a comparison two integer compares.
struct CharRef: Equatable {
    /// Index into `ReplicaTable`, or -1 for "no character" (the start or end of the text).
    var replica: Int32
    var seq: UInt64

    static let none = CharRef(replica: -1, seq: 0)

    var exists: Bool { replica >= 0 }
}

/// Consecutive characters of one replica typed one after another, stored as one item.
///
/// Character `i` of a run has id `(replica, seq + i)`; its origin is character `i - 1` (the
/// first character's origin is `origin`), and all share `rightOrigin` and the deleted state.
/// That is exactly what a run of typing produces, so a typed sentence costs one run rather
/// than one item per character; an insertion inside the run or a deletion of part of it
/// splits it, and the pieces keep describing the same characters.
struct TextRun {
    var seq: UInt64
    var origin: CharRef
    var rightOrigin: CharRef
    /// Offset of the first character in the sequence's scalar buffer; the run's scalars are contiguous there.
    var content: Int
    var length: Int
    var replica: Int32
    /// The leaf of `RunTree` that holds this run, so an id found in `SeqIndex` leads to a position.
    var leaf: Int32
    var isDeleted: Bool

    var visibleLength: Int { isDeleted ? 0 : length }

    /// One past the last sequence number; creation guarantees it does not overflow.
    var end: UInt64 { seq &+ UInt64(length) }

    var last: CharRef { CharRef(replica: replica, seq: end &- 1) }

    func id(at offset: Int) -> CharRef { CharRef(replica: replica, seq: seq &+ UInt64(offset)) }

    func origin(at offset: Int) -> CharRef { offset == 0 ? origin : id(at: offset - 1) }

    func covers(_ ref: CharRef) -> Bool { ref.replica == replica && ref.seq >= seq && ref.seq < end }

    /// Whether `next`, lying right after this run in the document, describes characters that
    /// this run could hold itself, so the two may be stored as one.
    func isContinued(by next: TextRun) -> Bool {
        next.replica == replica && next.seq == end && next.origin == last && next.rightOrigin == rightOrigin
            && next.isDeleted == isDeleted && next.content == content + length
    }
}

/// The replicas whose characters a sequence holds, each given a small index on first sight.
///
/// A note body rarely has more than a handful of authors, so a linear scan of the table beats
/// hashing 16 bytes; the dictionary only takes over for crowded notes.
struct ReplicaTable {
    private(set) var ids: [ReplicaID] = []
    private var indices: [ReplicaID: Int32] = [:]

    private static let scanLimit = 8

    var count: Int { ids.count }

    subscript(index: Int32) -> ReplicaID { ids[Int(index)] }

    func index(of id: ReplicaID) -> Int32? {
        if ids.count <= ReplicaTable.scanLimit {
            for index in ids.indices where ids[index] == id { return Int32(index) }
            return nil
        }
        return indices[id]
    }

    mutating func intern(_ id: ReplicaID) -> Int32 {
        if let index = index(of: id) { return index }
        let index = Int32(ids.count)
        ids.append(id)
        indices[id] = index
        return index
    }
}
