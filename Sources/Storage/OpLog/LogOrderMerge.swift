import SyncCore

/// Puts the ops of stored groups back into the log's exact order while rows are read in key order.
///
/// A row of the `ops` table holds a group of ops (`OpCodec.encodeGroup`) and sits at its first
/// op's place in (timestamp, replica, seq) order; its later ops belong further on, possibly after
/// the first ops of rows read next. Each row's ops wait here until a row whose first op comes
/// after them has been read: then they are due. Groups hold a few ops with neighbouring
/// timestamps, so few ever wait.
struct LogOrderMerge {
    /// Ops read and not yet due, in log order.
    private(set) var waiting: [Op] = []

    var isEmpty: Bool { waiting.isEmpty }

    /// Whether `lhs` comes before `rhs` in the log: by timestamp, then replica, then seq.
    static func precedes(_ lhs: Op, _ rhs: Op) -> Bool {
        if lhs.timestamp != rhs.timestamp { return lhs.timestamp < rhs.timestamp }
        if lhs.id.replica != rhs.id.replica { return lhs.id.replica < rhs.id.replica }
        return lhs.id.seq < rhs.id.seq
    }

    /// Moves to `due` every waiting op that comes before `first`, the first op of the row about to
    /// be added: no row read later can hold an op before them.
    mutating func release(before first: Op, into due: inout [Op]) {
        var count = 0
        while count < waiting.count, Self.precedes(waiting[count], first) { count += 1 }
        guard count > 0 else { return }
        due.append(contentsOf: waiting[..<count])
        waiting.removeFirst(count)
    }

    /// Adds the ops of one row (already in order among themselves).
    mutating func add(_ ops: [Op]) {
        for op in ops {
            var index = waiting.count
            while index > 0, Self.precedes(op, waiting[index - 1]) { index -= 1 }
            waiting.insert(op, at: index)
        }
    }

    /// Moves every waiting op to `due`: after the last row.
    mutating func releaseAll(into due: inout [Op]) {
        due.append(contentsOf: waiting)
        waiting.removeAll()
    }
}
