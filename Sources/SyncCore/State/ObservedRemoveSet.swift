/// An add-wins observed-remove set of strings (tags, links to findings).
///
/// Each addition is tagged with the dot of the op that made it; a removal names the dots its
/// writer had seen and removes only those. An addition made concurrently with a removal carries
/// a dot the removal did not name, so it survives: when one worker tags a note while another
/// untags it offline, the tag stays. Removals always follow the additions they name (sync
/// delivers an op only after everything it names), so no tombstones are needed.
public struct ObservedRemoveSet: Hashable, Sendable {
    /// Element → the dots of its live additions. An element with no live addition is absent.
    public private(set) var additions: [String: Set<Dot>]

    public init(additions: [String: Set<Dot>] = [:]) {
        self.additions = additions.filter { !$0.value.isEmpty }
    }

    public var elements: [String] { additions.keys.sorted() }
    public var isEmpty: Bool { additions.isEmpty }

    public func contains(_ element: String) -> Bool { additions[element] != nil }

    /// The dots a local removal of `element` must name.
    public func dots(of element: String) -> [Dot] {
        (additions[element] ?? []).sorted()
    }

    @discardableResult
    public mutating func add(_ element: String, dot: Dot) -> Bool {
        additions[element, default: []].insert(dot).inserted
    }

    @discardableResult
    public mutating func remove(_ element: String, observed: some Sequence<Dot>) -> Bool {
        guard var dots = additions[element] else { return false }
        let before = dots.count
        dots.subtract(observed)
        additions[element] = dots.isEmpty ? nil : dots
        return dots.count != before
    }

    /// The union of two replicas' states: what each would hold after applying the other's ops,
    /// given that neither removed a dot the other still holds without the other seeing it.
    public func merging(_ other: ObservedRemoveSet) -> ObservedRemoveSet {
        ObservedRemoveSet(additions: additions.merging(other.additions) { $0.union($1) })
    }
}
