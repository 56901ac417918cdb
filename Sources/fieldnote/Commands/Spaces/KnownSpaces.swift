import Foundation
import Storage
import SyncCore
import Transport

/// Space names as people type them, checked against the spaces that exist (`Store.knownSpaces`):
/// a mistyped name would otherwise write notes, or grant a peer, a space nobody syncs.
enum KnownSpaces {
    /// Refuses the first of `spaces` that is not in `known` (exit 4), with the nearest known name.
    static func require(_ spaces: [SpaceID], known: [SpaceID]) throws {
        guard let unknown = spaces.first(where: { !known.contains($0) }) else { return }
        let guess = nearest(to: unknown.name, among: known.map(\.name)).map { " (did you mean \"\($0)\"?)" } ?? ""
        throw CommandFailure(
            "there is no space \"\(unknown.name)\" on this device\(guess)",
            hint: "to make it: `fieldnote spaces add \(unknown.name)`; to see the spaces here: `fieldnote spaces list`",
            status: .invalidValue)
    }

    /// The known name closest to `name`, if it is close enough to be a slip of the fingers: at
    /// most two edits (a swapped pair of letters counts as one), and fewer than its length.
    static func nearest(to name: String, among names: [String]) -> String? {
        let scored = names.map { ($0, editDistance(name, $0)) }.filter { $0.1 <= 2 && $0.1 < name.count }
        return scored.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    /// Insertions, deletions, substitutions and swaps of neighbours that turn `a` into `b`
    /// (the optimal string alignment distance). Space names are ASCII, so bytes are letters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
                }
            }
        }
        return rows[a.count][b.count]
    }
}

extension StoreOptions {
    /// `withStore`, refusing first any of `spaces` that does not exist in the store. When there
    /// is no store yet only team and evidence exist, and a typo is refused before one is created.
    func withStore<T>(knowing spaces: [SpaceID], _ body: (Store) throws -> T) throws -> T {
        // team and evidence exist in every store: only other names cost a look at the store.
        let others = spaces.filter { !Store.builtInSpaces.contains($0) }
        try refuseBeforeOpening(others)
        return try withStore { store in
            if !others.isEmpty { try KnownSpaces.require(others, known: store.knownSpaces()) }
            return try body(store)
        }
    }

    /// `withDevice`, refusing first any of `spaces` that does not exist in the store: checked in
    /// a store of its own opening, before `withDevice` makes the device's identity on first use.
    func withDevice<T>(knowing spaces: [SpaceID], _ body: (Store, DeviceIdentity, TrustList) throws -> T) throws -> T {
        if spaces.contains(where: { !Store.builtInSpaces.contains($0) }) { try withStore(knowing: spaces) { _ in } }
        return try withDevice(body)
    }

    private func refuseBeforeOpening(_ spaces: [SpaceID]) throws {
        guard !spaces.isEmpty, !FileManager.default.fileExists(atPath: location.databaseURL.path) else { return }
        try KnownSpaces.require(spaces, known: Store.builtInSpaces)
    }
}
