/// A last-writer-wins register: the value written with the greatest (timestamp, replica) stamp.
///
/// Ties on the timestamp are broken by replica id, so every replica picks the same winner
/// whatever order the writes arrive in.
public struct FieldRegister: Hashable, Sendable {
    public var value: FieldValue
    public var stamp: Stamp

    public init(value: FieldValue, stamp: Stamp) {
        self.value = value
        self.stamp = stamp
    }

    /// Keeps whichever write has the greater stamp. Returns whether the register changed.
    @discardableResult
    public mutating func merge(_ other: FieldRegister) -> Bool {
        guard other.stamp > stamp else { return false }
        self = other
        return true
    }
}

extension Optional where Wrapped == FieldRegister {
    /// Merges a write into a register that may not exist yet.
    @discardableResult
    mutating func merge(_ write: FieldRegister) -> Bool {
        guard case .some(var register) = self else {
            self = write
            return true
        }
        let changed = register.merge(write)
        self = register
        return changed
    }
}
