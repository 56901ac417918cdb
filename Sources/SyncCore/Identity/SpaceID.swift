/// The name of an independently replicated log, like a Syncthing folder.
///
/// A peer is granted spaces, and sync exchanges only the spaces both sides grant each other,
/// so the name is part of every op id. Names are short lowercase words so they read well in
/// `peers add --spaces team,evidence` and cannot smuggle separators into the wire format.
public struct SpaceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let name: String

    /// Notes and cases shared by a team of workers.
    public static let team = SpaceID(uncheckedName: "team")
    /// Anonymised workload records, the only space a union rep is granted.
    public static let evidence = SpaceID(uncheckedName: "evidence")

    public static let maximumLength = 32

    /// Accepts 1–32 characters of `a-z`, `0-9`, `-`, `_`, starting with a letter.
    public init(_ name: String) throws(SyncCoreError) {
        guard SpaceID.isValid(name) else {
            throw SyncCoreError(.invalidSpaceName, "invalid space name \"\(name)\": use 1–32 of a-z 0-9 - _, starting with a letter")
        }
        self.name = name
    }

    private init(uncheckedName: String) { self.name = uncheckedName }

    public static func isValid(_ name: String) -> Bool {
        let units = Array(name.utf8)
        guard let first = units.first, units.count <= maximumLength,
              (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return units.allSatisfy { unit in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(unit)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(unit)
                || unit == UInt8(ascii: "-") || unit == UInt8(ascii: "_")
        }
    }

    public var description: String { name }
    public static func < (lhs: SpaceID, rhs: SpaceID) -> Bool { lhs.name < rhs.name }
}
