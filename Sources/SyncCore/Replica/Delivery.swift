/// Causal delivery: which part of an incoming op is new, and whether it can be applied yet.
///
/// An op can be applied once its replica's previous sequence number is applied (logs have no
/// gaps) and everything it names is applied: the characters an insertion sits between, the
/// characters a deletion removes, the additions a removal cancels, the register entries a write
/// overwrites (its `pred`). All of these are sequence
/// numbers, so a version vector answers the question without looking anything up.
public enum Delivery {
    public enum Verdict: Equatable, Sendable {
        /// Every sequence number of the op is already applied: a duplicate, ignore it.
        case known
        /// Apply this (the op itself, or the part of an insertion run not yet applied).
        case ready(Op)
        /// Something before it is missing; hold it back until that arrives.
        case waiting
    }

    /// The verdict without the op in it: what a receiver that holds the op already (in its
    /// batch) needs, so that an op ready whole, the usual case, is not copied into the answer
    /// (an op is about 160 bytes and holds references, and a first sync takes hundreds of
    /// thousands).
    public enum Readiness: Equatable, Sendable {
        case known
        /// Apply the op itself.
        case whole
        /// Apply this part of an insertion run, the rest being held already.
        case suffix(Op)
        case waiting
    }

    public static func verdict(for op: Op, given vector: VersionVector) -> Verdict {
        switch readiness(of: op, given: vector) {
        case .known: return .known
        case .whole: return .ready(op)
        case .suffix(let suffix): return .ready(suffix)
        case .waiting: return .waiting
        }
    }

    public static func readiness(of op: Op, given vector: VersionVector) -> Readiness {
        let held = vector[op.id.replica]
        if op.lastSeq <= held { return .known }
        guard op.id.seq <= held else {
            return op.id.seq == held + 1 && dependenciesMet(op, vector, held: held) ? .whole : .waiting
        }
        // The suffix starts at held + 1 by construction.
        let suffix = unseenSuffix(of: op, after: held)
        return dependenciesMet(suffix, vector, held: held) ? .suffix(suffix) : .waiting
    }

    /// Whether everything the op names is covered by `vector`.
    public static func dependenciesMet(_ op: Op, _ vector: VersionVector) -> Bool {
        dependenciesMet(op, vector, held: vector[op.id.replica])
    }

    /// The same, given what `vector` holds of the op's own replica: most insertions sit after the
    /// replica's own previous character and most deletions remove its own, which then need no lookup.
    static func dependenciesMet(_ op: Op, _ vector: VersionVector, held: UInt64) -> Bool {
        let replica = op.id.replica
        func contains(_ dot: Dot) -> Bool {
            dot.replica == replica ? dot.seq >= 1 && dot.seq <= held : vector.contains(dot)
        }
        func contains(_ range: CharRange) -> Bool {
            range.replica == replica
                ? range.count > 0 && range.start.seq >= 1 && range.lastSeq <= held : vector.contains(range)
        }
        switch op.payload {
        case .insertText(_, let origin, let rightOrigin, _):
            return (origin.map(contains) ?? true) && (rightOrigin.map(contains) ?? true)
        case .deleteText(_, let ranges):
            return ranges.allSatisfy(contains)
        case .removeElement(_, _, _, let observed):
            return observed.allSatisfy(contains)
        case .setField(_, _, _, let pred), .setDeleted(_, _, let pred):
            return pred.allSatisfy(contains)
        case .create, .addElement, .purge, .erased:
            return true
        }
    }

    /// The part of a multi-number op above `held`. Only insertions and erased ops span more than
    /// one number; an insertion's suffix starts after the last character already held, which
    /// is exactly where its run put it.
    static func unseenSuffix(of op: Op, after held: UInt64) -> Op {
        let skip = Int(held - op.id.seq + 1)
        var suffix = op
        suffix.id.seq = held + 1
        switch op.payload {
        case .insertText(let entity, _, let rightOrigin, let text):
            let scalars = text.unicodeScalars
            var rest = String.UnicodeScalarView()
            rest.append(contentsOf: scalars[scalars.index(scalars.startIndex, offsetBy: skip)...])
            suffix.payload = .insertText(
                entity: entity, origin: Dot(replica: op.id.replica, seq: held), rightOrigin: rightOrigin, text: String(rest))
        case .erased(let entity, let span):
            suffix.payload = .erased(entity: entity, span: span - UInt64(skip))
        default:
            break
        }
        return suffix
    }
}
