@testable import SyncCore

extension TextSequence {
    /// Checks what the indexed representation promises about itself: counts, back-pointers,
    /// id index and buffer agree. Nil when all hold, otherwise the first broken one.
    func brokenInvariant() -> String? {
        var visible = 0, total = 0, runsSeen = 0
        var leaf: Int32 = 0
        var previousLeaf: Int32 = -1
        while leaf >= 0 {
            let node = tree.node(leaf)
            if node.previous != previousLeaf { return "leaf \(leaf) links back to \(node.previous), not \(previousLeaf)" }
            var leafVisible = 0, leafTotal = 0
            for slot in 0..<tree.childCount(leaf) {
                let index = tree.child(leaf, slot)
                let run = tree.runs[Int(index)]
                if run.leaf != leaf { return "run \(index) points to leaf \(run.leaf), lives in \(leaf)" }
                if run.length <= 0 { return "run \(index) is empty" }
                if run.content + run.length > content.count { return "run \(index) overruns the buffer" }
                guard let found = location(of: run.id(at: 0)), found.run == index, found.offset == 0 else {
                    return "run \(index) is not found by its first id"
                }
                leafVisible += run.visibleLength
                leafTotal += run.length
                runsSeen += 1
            }
            if leafVisible != node.visible || leafTotal != node.total { return "leaf \(leaf) miscounts" }
            visible += leafVisible
            total += leafTotal
            previousLeaf = leaf
            leaf = node.next
        }
        if runsSeen != tree.runs.count { return "\(tree.runs.count) runs, \(runsSeen) in the tree" }
        if visible != tree.visibleCount || total != tree.totalCount { return "root miscounts" }
        for index in 0..<Int32(tree.nodes.count) {
            let node = tree.node(index)
            if node.parent >= 0, tree.slot(of: index, in: node.parent) < 0 { return "node \(index) missing from its parent" }
        }
        return nil
    }
}
