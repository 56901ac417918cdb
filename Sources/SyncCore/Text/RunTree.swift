/// The runs of a text in document order, in a counted B+tree.
///
/// Every node knows how many characters lie below it, visible and in total (tombstones
/// included), so the run holding a visible position, or the absolute index of a run, is found
/// in a number of steps logarithmic in the number of runs. Nodes and runs are plain structs in
/// flat arrays addressed by `Int32` indices, not objects: no reference counting on the hot
/// path, and copying a `TextSequence` copies a handful of array references (copy on write).
///
/// Runs are never removed (a deleted character stays as a tombstone), so the tree only grows:
/// nodes split but never merge, and leaf 0, which always keeps the left half of a split, is
/// the first leaf for ever.
struct RunTree {
    static let capacity = 32

    struct Node {
        var parent: Int32 = -1
        var count: Int32 = 0
        /// Neighbouring nodes on the same level; walking leaves in order needs no parent visits.
        var previous: Int32 = -1
        var next: Int32 = -1
        var visible = 0
        var total = 0
    }

    var runs: [TextRun] = []
    private(set) var nodes: [Node] = [Node()]
    /// `capacity` child slots per node: run indices in leaves, node indices above.
    private(set) var slots: [Int32] = Array(repeating: -1, count: RunTree.capacity)
    private(set) var root: Int32 = 0
    /// Levels above the leaves.
    private(set) var height = 0

    var visibleCount: Int { nodes[Int(root)].visible }
    var totalCount: Int { nodes[Int(root)].total }

    @inline(__always) func child(_ node: Int32, _ slot: Int) -> Int32 {
        slots[Int(node) * RunTree.capacity + slot]
    }

    @inline(__always) func childCount(_ node: Int32) -> Int { Int(nodes[Int(node)].count) }

    func node(_ index: Int32) -> Node { nodes[Int(index)] }

    func slot(of child: Int32, in node: Int32) -> Int {
        let base = Int(node) * RunTree.capacity
        for slot in 0..<Int(nodes[Int(node)].count) where slots[base + slot] == child { return slot }
        preconditionFailure("run tree: child \(child) missing from node \(node)")
    }

    func slot(ofRun run: Int32) -> Int { slot(of: run, in: runs[Int(run)].leaf) }

    /// Adds to the counts of `node` and every node above it.
    mutating func addCounts(from node: Int32, visible: Int, total: Int) {
        var current = node
        while current >= 0 {
            nodes[Int(current)].visible += visible
            nodes[Int(current)].total += total
            current = nodes[Int(current)].parent
        }
    }

    // MARK: Finding

    /// The leaf holding visible character `position` (which must be below `visibleCount`) and
    /// how many visible characters come before that leaf.
    func leaf(forVisible position: Int) -> (leaf: Int32, start: Int) {
        var node = root
        var start = 0
        var remaining = position
        for _ in 0..<height {
            let base = Int(node) * RunTree.capacity
            var slot = 0
            let last = Int(nodes[Int(node)].count) - 1
            while slot < last {
                let visible = nodes[Int(slots[base + slot])].visible
                if remaining < visible { break }
                remaining -= visible
                start += visible
                slot += 1
            }
            node = slots[base + slot]
        }
        return (node, start)
    }

    /// The slot in `leaf` of the run holding the visible character `offset` places into the
    /// leaf, and that character's offset in the run.
    func run(inLeaf leaf: Int32, visibleOffset offset: Int) -> (slot: Int, offset: Int) {
        let base = Int(leaf) * RunTree.capacity
        var remaining = offset
        for slot in 0..<Int(nodes[Int(leaf)].count) {
            let length = runs[Int(slots[base + slot])].visibleLength
            if remaining < length { return (slot, remaining) }
            remaining -= length
        }
        preconditionFailure("run tree: visible offset \(offset) beyond leaf \(leaf)")
    }

    /// The run holding the character at absolute index `index` (tombstones counted) and the
    /// character's offset in it.
    func run(atTotal index: Int) -> (run: Int32, offset: Int) {
        var node = root
        var remaining = index
        for _ in 0..<height {
            let base = Int(node) * RunTree.capacity
            var slot = 0
            let last = Int(nodes[Int(node)].count) - 1
            while slot < last {
                let total = nodes[Int(slots[base + slot])].total
                if remaining < total { break }
                remaining -= total
                slot += 1
            }
            node = slots[base + slot]
        }
        let base = Int(node) * RunTree.capacity
        for slot in 0..<Int(nodes[Int(node)].count) {
            let run = slots[base + slot]
            let length = runs[Int(run)].length
            if remaining < length { return (run, remaining) }
            remaining -= length
        }
        preconditionFailure("run tree: index \(index) beyond \(totalCount)")
    }

    /// Characters (tombstones included) before the first character of `run`.
    func absoluteIndex(ofRun run: Int32) -> Int {
        var index = 0
        var child = run
        var node = runs[Int(run)].leaf
        var isLeaf = true
        while node >= 0 {
            let base = Int(node) * RunTree.capacity
            var slot = 0
            while slots[base + slot] != child {
                index += isLeaf ? runs[Int(slots[base + slot])].length : nodes[Int(slots[base + slot])].total
                slot += 1
            }
            child = node
            node = nodes[Int(node)].parent
            isLeaf = false
        }
        return index
    }

    /// The run after `run` in document order, or -1.
    func run(after run: Int32) -> Int32 {
        let leaf = runs[Int(run)].leaf
        let slot = slot(of: run, in: leaf)
        if slot + 1 < childCount(leaf) { return child(leaf, slot + 1) }
        let next = nodes[Int(leaf)].next
        return next < 0 ? -1 : child(next, 0)
    }

    /// The run before `run` in document order, or -1.
    func run(before run: Int32) -> Int32 {
        let leaf = runs[Int(run)].leaf
        let slot = slot(of: run, in: leaf)
        if slot > 0 { return child(leaf, slot - 1) }
        let previous = nodes[Int(leaf)].previous
        return previous < 0 ? -1 : child(previous, childCount(previous) - 1)
    }

    /// The first run of the text, or -1 when there is none.
    var firstRun: Int32 { nodes[0].count > 0 ? child(0, 0) : -1 }

    // MARK: Inserting

    /// Puts `run` (already in `runs`) at `slot` of `leaf` and counts its characters.
    mutating func insert(_ run: Int32, inLeaf leaf: Int32, at slot: Int) {
        let (leaf, slot) = makeRoom(in: leaf, at: slot, isLeaf: true)
        place(run, in: leaf, at: slot)
        runs[Int(run)].leaf = leaf
        addCounts(from: leaf, visible: runs[Int(run)].visibleLength, total: runs[Int(run)].length)
    }

    mutating func insert(_ run: Int32, after existing: Int32) {
        let leaf = runs[Int(existing)].leaf
        insert(run, inLeaf: leaf, at: slot(of: existing, in: leaf) + 1)
    }

    mutating func insertAtStart(_ run: Int32) { insert(run, inLeaf: 0, at: 0) }

    /// Appends `run` after the last run: what loading a stored state does, run after run.
    mutating func append(_ run: Int32) {
        var leaf = root
        for _ in 0..<height { leaf = child(leaf, childCount(leaf) - 1) }
        insert(run, inLeaf: leaf, at: childCount(leaf))
    }

    private mutating func place(_ value: Int32, in node: Int32, at slot: Int) {
        let base = Int(node) * RunTree.capacity
        var index = base + Int(nodes[Int(node)].count)
        while index > base + slot {
            slots[index] = slots[index - 1]
            index -= 1
        }
        slots[base + slot] = value
        nodes[Int(node)].count += 1
    }

    /// Splits `node` if it is full, and says where a child meant for `slot` now goes.
    private mutating func makeRoom(in node: Int32, at slot: Int, isLeaf: Bool) -> (Int32, Int) {
        let capacity = RunTree.capacity
        guard nodes[Int(node)].count == Int32(capacity) else { return (node, slot) }
        // Appending at the right edge starts an empty sibling, so text that grows at its end
        // (typing, loading) packs nodes full instead of leaving them half empty.
        let pivot = slot == capacity && nodes[Int(node)].next < 0 ? capacity : capacity / 2
        let sibling = Int32(nodes.count)
        nodes.append(Node())
        slots.append(contentsOf: repeatElement(-1, count: capacity))
        var visible = 0, total = 0
        for moved in pivot..<capacity {
            let value = slots[Int(node) * capacity + moved]
            slots[Int(sibling) * capacity + moved - pivot] = value
            if isLeaf {
                runs[Int(value)].leaf = sibling
                visible += runs[Int(value)].visibleLength
                total += runs[Int(value)].length
            } else {
                nodes[Int(value)].parent = sibling
                visible += nodes[Int(value)].visible
                total += nodes[Int(value)].total
            }
        }
        nodes[Int(node)].count = Int32(pivot)
        nodes[Int(node)].visible -= visible
        nodes[Int(node)].total -= total
        nodes[Int(sibling)].count = Int32(capacity - pivot)
        nodes[Int(sibling)].visible = visible
        nodes[Int(sibling)].total = total
        let next = nodes[Int(node)].next
        nodes[Int(sibling)].previous = node
        nodes[Int(sibling)].next = next
        if next >= 0 { nodes[Int(next)].previous = sibling }
        nodes[Int(node)].next = sibling

        let parent = nodes[Int(node)].parent
        if parent < 0 {
            let newRoot = Int32(nodes.count)
            nodes.append(Node(parent: -1, count: 2, visible: nodes[Int(node)].visible + visible,
                              total: nodes[Int(node)].total + total))
            slots.append(contentsOf: repeatElement(-1, count: capacity))
            slots[Int(newRoot) * capacity] = node
            slots[Int(newRoot) * capacity + 1] = sibling
            nodes[Int(node)].parent = newRoot
            nodes[Int(sibling)].parent = newRoot
            root = newRoot
            height += 1
        } else {
            let (home, homeSlot) = makeRoom(in: parent, at: self.slot(of: node, in: parent) + 1, isLeaf: false)
            place(sibling, in: home, at: homeSlot)
            nodes[Int(sibling)].parent = home
            if parent != home {
                // The parent split too and the sibling landed in its new half, while the
                // sibling's characters are still counted in the old half (they were counted in
                // the node when the parent split): move them across.
                addCounts(from: parent, visible: -visible, total: -total)
                addCounts(from: home, visible: visible, total: total)
            }
        }
        return slot > pivot || (slot == pivot && pivot == capacity) ? (sibling, slot - pivot) : (node, slot)
    }
}
