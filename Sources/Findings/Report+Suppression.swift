import Foundation

/// A cell of one month and one figure while suppression is worked out: the records it would draw
/// on, as positions in the report's list of records, and whether it is held back.
struct SuppressionCell: Sendable {
    var key: String
    var members: Set<Int>
    var suppressed: Bool
    var secondary = false
}

/// A published total (`margin`) and the published cells that add up to it (`parts`), as indices
/// into the cells: the total and its categories, a category and its findings.
struct SuppressionMargin: Sendable, Hashable {
    var margin: Int
    var parts: [Int]
}

extension Report {
    /// Secondary (complementary) suppression, as official statistics apply it.
    ///
    /// Primary suppression hides every cell drawn from fewer than `minReporters` reporters. That is
    /// not enough on its own: if a total is shown and only one of the cells it adds up from is
    /// hidden, the hidden cell is the total minus the others (its record count, its unpaid hours,
    /// its supervision counts); and if a total is hidden while all its parts are shown, it is their
    /// sum. So every margin is read as one equation, total = parts + remainder, where the
    /// remainder is the records in the margin that are in no part (evidence linked to no finding):
    /// - its unknowns are the margin if hidden, its hidden parts, and the remainder if there is one;
    /// - something in it is sensitive if the margin or a part is hidden, or if the remainder comes
    ///   from fewer than `minReporters` reporters;
    /// - when something is sensitive and the equation has a single unknown, that unknown could be
    ///   worked out, so the smallest shown part (fewest records, then fewest reporters, then key)
    ///   is suppressed too; with no shown part left, the margin itself is.
    /// Suppressing a cell can expose another equation, so this repeats until nothing changes.
    ///
    /// Cells that hold no records are known to be zero and protect nothing; they are never chosen. Parts that overlap (a record in two categories) do not add
    /// up exactly, which only makes differencing harder, so treating them as additive errs on the
    /// side of hiding more.
    ///
    /// Returns the cells with every cell this suppresses marked `suppressed` and `secondary`.
    /// - Parameter reporters: the reporter of each record, by the positions `members` use.
    static func suppressSecondary(
        _ cells: [SuppressionCell], margins: [SuppressionMargin], reporters: [String], minReporters: Int
    ) -> [SuppressionCell] {
        var cells = cells
        func records(_ index: Int) -> Int { cells[index].members.count }
        func people(_ index: Int) -> Int { Set(cells[index].members.map { reporters[$0] }).count }
        var changed = true
        while changed {
            changed = false
            for margin in margins {
                let parts = margin.parts.filter { records($0) > 0 }
                let marginHidden = cells[margin.margin].suppressed
                let hidden = parts.filter { cells[$0].suppressed }
                let remainder = parts.reduce(cells[margin.margin].members) { $0.subtracting(cells[$1].members) }
                let remainderReporters = Set(remainder.map { reporters[$0] }).count
                let unknowns = (marginHidden ? 1 : 0) + hidden.count + (remainder.isEmpty ? 0 : 1)
                let sensitive = (marginHidden ? 1 : 0) + hidden.count + (!remainder.isEmpty && remainderReporters < minReporters ? 1 : 0)
                guard sensitive >= 1, unknowns == 1, !parts.isEmpty || !marginHidden else { continue }
                let shown = parts.filter { !cells[$0].suppressed }.sorted { a, b in
                    (records(a), people(a), cells[a].key) < (records(b), people(b), cells[b].key)
                }
                guard !(shown.isEmpty && marginHidden) else { continue }
                let chosen = shown.first ?? margin.margin
                cells[chosen].suppressed = true
                cells[chosen].secondary = true
                changed = true
            }
        }
        return cells
    }
}
