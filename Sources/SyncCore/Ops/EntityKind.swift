/// What an entity is. The raw values are part of the wire format (Protocol.md); never reuse one.
public enum EntityKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case note = 1
    case caseReference = 2
    case finding = 3
    case evidence = 4

    public var description: String {
        switch self {
        case .note: "note"
        case .caseReference: "case"
        case .finding: "finding"
        case .evidence: "evidence"
        }
    }
}
