import SyncCore

/// A text op as it travels between replicas.
enum TextOp: Sendable {
    case insert(text: String, firstID: CharID, origin: CharID?, rightOrigin: CharID?)
    case delete([CharRange])
}

/// The indexed sequence and the naive oracle side by side, driven with the same edits.
///
/// Every edit is applied to both and their results compared, so a divergence is caught at the
/// step that caused it, not at some later checkpoint.
struct TextPair {
    var fast = TextSequence()
    var reference = ReferenceTextSequence()

    /// Nil when the two agree; otherwise what differs.
    func mismatch() -> String? {
        if fast.count != reference.count { return "count \(fast.count) vs \(reference.count)" }
        if fast.text != reference.text { return "text \(fast.text.debugDescription) vs \(reference.text.debugDescription)" }
        let lhs = fast.canonicalItems, rhs = reference.canonicalItems
        if lhs.count != rhs.count { return "\(lhs.count) items vs \(rhs.count)" }
        for index in lhs.indices where lhs[index] != rhs[index] {
            return "item \(index): \(lhs[index]) vs \(rhs[index])"
        }
        return nil
    }

    /// Inserts locally in both; nil when they disagree on the neighbours or one throws and the other does not.
    mutating func insert(_ text: String, at position: Int, firstID: CharID) -> TextOp? {
        let fastResult = try? fast.insert(text, at: position, firstID: firstID)
        let referenceResult = try? reference.insert(text, at: position, firstID: firstID)
        guard let fastResult, let referenceResult,
              fastResult.origin == referenceResult.origin, fastResult.rightOrigin == referenceResult.rightOrigin
        else { return nil }
        return .insert(text: text, firstID: firstID, origin: fastResult.origin, rightOrigin: fastResult.rightOrigin)
    }

    mutating func delete(_ positions: Range<Int>) -> TextOp? {
        let fastRanges = try? fast.delete(positions)
        let referenceRanges = try? reference.delete(positions)
        guard let fastRanges, fastRanges == referenceRanges else { return nil }
        return .delete(fastRanges)
    }

    /// Applies a remote op to both; false when their answers differ.
    mutating func apply(_ op: TextOp) -> Bool {
        switch op {
        case let .insert(text, firstID, origin, rightOrigin):
            fast.integrate(text, firstID: firstID, origin: origin, rightOrigin: rightOrigin)
                == reference.integrate(text, firstID: firstID, origin: origin, rightOrigin: rightOrigin)
        case let .delete(ranges):
            fast.delete(ranges: ranges) == reference.delete(ranges: ranges)
        }
    }
}

extension TextSequence {
    /// Whether `op` can be applied with its effect complete: what causal delivery guarantees.
    func isReady(for op: TextOp) -> Bool {
        switch op {
        case let .insert(_, _, origin, rightOrigin):
            (origin.map(contains) ?? true) && (rightOrigin.map(contains) ?? true)
        case let .delete(ranges):
            ranges.allSatisfy { range in
                (0..<range.count).allSatisfy { contains(CharID(replica: range.replica, seq: range.start.seq + $0)) }
            }
        }
    }

    mutating func apply(_ op: TextOp) {
        switch op {
        case let .insert(text, firstID, origin, rightOrigin):
            integrate(text, firstID: firstID, origin: origin, rightOrigin: rightOrigin)
        case let .delete(ranges):
            delete(ranges: ranges)
        }
    }

    /// `canonicalItems` in a comparable form.
    var canonicalKey: [String] {
        canonicalItems.map { "\($0.id.replica.hex)#\($0.id.seq)=\($0.scalar.value)\($0.isDeleted ? "x" : "")" }
    }
}

/// Random edit material shared by the text tests.
enum TextFuzz {
    static let alphabet: [String] = ["a", "b", "c", "d", "e", " ", "é", "😀", "ß", "\n", "z", "文"]

    static func text(using generator: inout SplitMix64, maxLength: Int = 6) -> String {
        let length = Int.random(in: 1...maxLength, using: &generator)
        return (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
    }
}
