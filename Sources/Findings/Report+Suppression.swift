import Foundation

/// A report cell while suppression is worked out: its figures (all of them, even if it will be
/// suppressed) and the records it was drawn from, as positions in the report's list of records.
struct SuppressionCell: Sendable {
    var cell: ReportCell
    var members: Set<Int>
}

/// A published total (`margin`) and the published cells that add up to it (`parts`), as indices
/// into the report's cells: the total and its weeks, the total and its categories, a category and
/// its findings.
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
    /// Cells that record no evidence at all (empty weeks) are known to be zero and protect
    /// nothing; they are never chosen. Parts that overlap (a record in two categories) do not add
    /// up exactly, which only makes differencing harder, so treating them as additive errs on the
    /// side of hiding more.
    ///
    /// Returns the cells with the figures of every suppressed cell removed.
    /// - Parameter reporters: the reporter of each record, by the positions `members` use.
    static func suppressSecondary(
        _ cells: [SuppressionCell], margins: [SuppressionMargin], reporters: [String], minReporters: Int
    ) -> [ReportCell] {
        var cells = cells
        func records(_ index: Int) -> Int { cells[index].cell.statistics?.records ?? 0 }
        var changed = true
        while changed {
            changed = false
            for margin in margins {
                let parts = margin.parts.filter { records($0) > 0 }
                let marginHidden = cells[margin.margin].cell.suppressed
                let hidden = parts.filter { cells[$0].cell.suppressed }
                let remainder = parts.reduce(cells[margin.margin].members) { $0.subtracting(cells[$1].members) }
                let remainderReporters = Set(remainder.map { reporters[$0] }).count
                let unknowns = (marginHidden ? 1 : 0) + hidden.count + (remainder.isEmpty ? 0 : 1)
                let sensitive = (marginHidden ? 1 : 0) + hidden.count + (!remainder.isEmpty && remainderReporters < minReporters ? 1 : 0)
                guard sensitive >= 1, unknowns == 1, !parts.isEmpty || !marginHidden else { continue }
                let shown = parts.filter { !cells[$0].cell.suppressed }.sorted { a, b in
                    let (x, y) = (cells[a].cell, cells[b].cell)
                    return (x.statistics?.records ?? 0, x.statistics?.reporters ?? 0, x.key) < (y.statistics?.records ?? 0, y.statistics?.reporters ?? 0, y.key)
                }
                guard !(shown.isEmpty && marginHidden) else { continue }
                let chosen = shown.first ?? margin.margin
                cells[chosen].cell.suppressed = true
                cells[chosen].cell.secondary = true
                changed = true
            }
        }
        return cells.map { entry in
            var cell = entry.cell
            if cell.suppressed { cell.statistics = nil }
            return cell
        }
    }
}
