/// The smallest edit script between two texts (Myers, 1986), as hunks of "replace these old
/// characters with those new ones".
///
/// "Replace the body with what the editor saved" must not become "delete everything, insert
/// everything": a colleague's concurrent words in an untouched paragraph would be deleted with
/// it. Common prefix and suffix are trimmed first, so typical edits cost O(n). Past
/// `maximumEditDistance` the middle is replaced whole, which keeps time bounded on pathological
/// inputs at the price of minimality there.
public enum TextDiff {
    public struct Hunk: Equatable, Sendable {
        /// Positions in the old text to delete.
        public var oldRange: Range<Int>
        /// What to insert at `oldRange.lowerBound`.
        public var newScalars: [Unicode.Scalar]
    }

    public static let maximumEditDistance = 4_096

    public static func hunks(from old: [Unicode.Scalar], to new: [Unicode.Scalar]) -> [Hunk] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        let a = Array(old[prefix..<(old.count - suffix)])
        let b = Array(new[prefix..<(new.count - suffix)])
        if a.isEmpty && b.isEmpty { return [] }
        guard let script = shortestScript(a, b) else {
            return [Hunk(oldRange: prefix..<(prefix + a.count), newScalars: b)]
        }
        return group(script, a: a, b: b, offset: prefix)
    }

    private enum Step { case keep, delete, insert }

    /// Myers' greedy algorithm with the V arrays kept per round, to walk the path back.
    private static func shortestScript(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> [Step]? {
        let n = a.count, m = b.count
        let maximum = min(n + m, maximumEditDistance)
        let offset = maximum + 1
        var frontier = [Int](repeating: 0, count: 2 * maximum + 3)
        var trace: [[Int]] = []
        for d in 0...maximum {
            trace.append(frontier)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1]) {
                    x = frontier[offset + k + 1]
                } else {
                    x = frontier[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                frontier[offset + k] = x
                if x >= n, y >= m { return backtrack(trace, n: n, m: m, offset: offset) }
            }
        }
        return nil
    }

    private static func backtrack(_ trace: [[Int]], n: Int, m: Int, offset: Int) -> [Step] {
        var steps: [Step] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let frontier = trace[d]
            let k = x - y
            let previousK = (k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1])) ? k + 1 : k - 1
            let previousX = d == 0 ? 0 : frontier[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                steps.append(.keep); x -= 1; y -= 1
            }
            if d > 0 { steps.append(x == previousX ? .insert : .delete) }
            x = previousX
            y = previousY
        }
        return steps.reversed()
    }

    private static func group(_ steps: [Step], a: [Unicode.Scalar], b: [Unicode.Scalar], offset: Int) -> [Hunk] {
        var hunks: [Hunk] = []
        var x = 0, y = 0
        var current: Hunk? = nil
        for step in steps {
            switch step {
            case .keep:
                if let hunk = current { hunks.append(hunk); current = nil }
                x += 1; y += 1
            case .delete:
                if current == nil { current = Hunk(oldRange: (offset + x)..<(offset + x), newScalars: []) }
                current!.oldRange = current!.oldRange.lowerBound..<(offset + x + 1)
                x += 1
            case .insert:
                if current == nil { current = Hunk(oldRange: (offset + x)..<(offset + x), newScalars: []) }
                current!.newScalars.append(b[y])
                y += 1
            }
        }
        if let hunk = current { hunks.append(hunk) }
        return hunks
    }
}
