/// The value of a field (a register, `FieldRegister`).
///
/// Doubles must be finite: NaN is not equal to itself, and a register that cannot compare its
/// own value would break convergence checks. `FieldValue.double` refuses it at construction
/// through `validated()`, and the codec refuses it on the wire.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    /// An explicit "no value": clearing a field is a write like any other.
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): value
        }
    }

    public var isValid: Bool {
        if case .double(let value) = self { return value.isFinite }
        return true
    }
}

/// Names of fields and of sets: 1–64 characters of `a-z`, `0-9`, `_`, `.`.
public enum FieldKey {
    public static let maximumLength = 64

    public static func isValid(_ key: String) -> Bool {
        let units = key.utf8
        guard !units.isEmpty, units.count <= maximumLength else { return false }
        return units.allSatisfy { unit in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(unit)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(unit)
                || unit == UInt8(ascii: "_") || unit == UInt8(ascii: ".")
        }
    }

    /// The observed-remove set holding a note's tags.
    public static let tags = "tags"
    /// The observed-remove set holding the findings a note is linked to.
    public static let links = "links"
}
