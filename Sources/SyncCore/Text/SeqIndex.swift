/// The runs of one replica keyed by their first sequence number, to find the run holding an id.
///
/// Remote ops name characters by id (their neighbours, the ranges they delete), so id lookup
/// is as hot as position lookup. Runs split all the time, each split adding a key in the
/// middle; a single sorted array would shift all later keys on every split. Keys live instead
/// in fixed-size sorted blocks with a sorted array of block minimums above them: a lookup is
/// two binary searches, an insertion shifts at most one block (plus, once per block split,
/// the small array of minimums). Blocks sit in flat arrays addressed by block number, so no
/// per-block object is reference counted.
///
/// Most notes are written in one go, one run by one replica: while an index holds one key it
/// keeps it inline (`single`) and allocates no block. Five arrays and 64 slots per note were
/// about a fifth of the allocations a received note made, each freed again after its batch.
struct SeqIndex {
    private static let blockCapacity = 64

    /// `blockCapacity` slots per block: first sequence numbers, sorted within a block.
    private var starts: [UInt64] = []
    /// The run for each slot of `starts`.
    private var runs: [Int32] = []
    /// Used slots per block number.
    private var lengths: [Int] = []
    /// Block numbers in key order.
    private var order: [Int32] = []
    /// The first key of each block, parallel to `order`.
    private var minimums: [UInt64] = []
    /// The only key, while the index holds one; then the blocks are empty.
    private var single: (seq: UInt64, run: Int32)?

    var isEmpty: Bool { order.isEmpty && single == nil }

    /// Where the last key at most `seq` sits: index into `order` and slot in that block.
    private func lastAtMost(_ seq: UInt64) -> (block: Int, slot: Int)? {
        var low = 0, high = minimums.count
        while low < high {
            let middle = (low + high) >> 1
            if minimums[middle] <= seq { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let block = low - 1
        let base = Int(order[block]) * SeqIndex.blockCapacity
        var slotLow = 0, slotHigh = lengths[Int(order[block])]
        while slotLow < slotHigh {
            let middle = (slotLow + slotHigh) >> 1
            if starts[base + middle] <= seq { slotLow = middle + 1 } else { slotHigh = middle }
        }
        return (block, slotLow - 1)
    }

    /// The run with the greatest first sequence number at most `seq` (the only run that can
    /// hold `seq`), and the run after it in sequence order; -1 where there is none.
    func lookup(_ seq: UInt64) -> (atOrBefore: Int32, after: Int32) {
        if let single { return single.seq <= seq ? (single.run, -1) : (-1, single.run) }
        guard let (block, slot) = lastAtMost(seq) else {
            return (-1, order.isEmpty ? -1 : runs[Int(order[0]) * SeqIndex.blockCapacity])
        }
        let number = Int(order[block])
        let found = runs[number * SeqIndex.blockCapacity + slot]
        if slot + 1 < lengths[number] { return (found, runs[number * SeqIndex.blockCapacity + slot + 1]) }
        if block + 1 < order.count { return (found, runs[Int(order[block + 1]) * SeqIndex.blockCapacity]) }
        return (found, -1)
    }

    mutating func insert(_ seq: UInt64, run: Int32) {
        if order.isEmpty {
            guard let first = single else {
                single = (seq, run)
                return
            }
            // A second key: the first goes into a block, then this one as usual.
            single = nil
            startFirstBlock(first.seq, run: first.run)
        }
        insertIntoBlocks(seq, run: run)
    }

    private mutating func startFirstBlock(_ seq: UInt64, run: Int32) {
        let capacity = SeqIndex.blockCapacity
        let number = newBlock()
        order.append(number)
        minimums.append(seq)
        starts[Int(number) * capacity] = seq
        runs[Int(number) * capacity] = run
        lengths[Int(number)] = 1
    }

    /// Inserts a key into the blocks, of which there is at least one.
    private mutating func insertIntoBlocks(_ seq: UInt64, run: Int32) {
        let capacity = SeqIndex.blockCapacity
        var block = 0
        var slot = 0
        if let (found, foundSlot) = lastAtMost(seq) {
            block = found
            slot = foundSlot + 1
        }
        var number = Int(order[block])
        if lengths[number] == capacity {
            // Appending past the last block starts a fresh one, so keys that only grow (the
            // usual case for one replica's typing) fill blocks completely.
            let pivot = slot == capacity && block == order.count - 1 ? capacity : capacity / 2
            let fresh = Int(newBlock())
            for moved in pivot..<capacity {
                starts[fresh * capacity + moved - pivot] = starts[number * capacity + moved]
                runs[fresh * capacity + moved - pivot] = runs[number * capacity + moved]
            }
            lengths[fresh] = capacity - pivot
            lengths[number] = pivot
            order.insert(Int32(fresh), at: block + 1)
            minimums.insert(pivot < capacity ? starts[fresh * capacity] : seq, at: block + 1)
            if slot > pivot || (slot == pivot && pivot == capacity) {
                block += 1
                number = fresh
                slot -= pivot
            }
        }
        let base = number * capacity
        var index = base + lengths[number]
        while index > base + slot {
            starts[index] = starts[index - 1]
            runs[index] = runs[index - 1]
            index -= 1
        }
        starts[base + slot] = seq
        runs[base + slot] = run
        lengths[number] += 1
        if slot == 0 { minimums[block] = seq }
    }

    /// Changes the key `old` to `new` when a run gains or loses characters at its start; the
    /// caller guarantees that no other key lies between the two.
    mutating func rekey(_ old: UInt64, to new: UInt64) {
        if let single {
            // As with blocks: no key at most `old` is nothing to change; another key is a bug.
            guard single.seq <= old else { return }
            precondition(single.seq == old, "rekey of an absent key")
            self.single = (new, single.run)
            return
        }
        guard let (block, slot) = lastAtMost(old) else { return }
        let number = Int(order[block])
        precondition(starts[number * SeqIndex.blockCapacity + slot] == old, "rekey of an absent key")
        starts[number * SeqIndex.blockCapacity + slot] = new
        if slot == 0 { minimums[block] = new }
    }

    private mutating func newBlock() -> Int32 {
        let number = Int32(lengths.count)
        lengths.append(0)
        starts.append(contentsOf: repeatElement(0, count: SeqIndex.blockCapacity))
        runs.append(contentsOf: repeatElement(-1, count: SeqIndex.blockCapacity))
        return number
    }
}
