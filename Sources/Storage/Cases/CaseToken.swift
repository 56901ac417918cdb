import SyncCore

/// Case references: random tokens like `C-7K2Q-9XDM`, never names or council ids.
///
/// The alphabet leaves out 0/O, 1/I/L and U so a token read aloud or copied from paper comes out
/// the same; 8 characters of 30 give about 6.6 × 10¹¹ tokens, plenty for a team's cases.
public enum CaseToken {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func random(using generator: inout some RandomNumberGenerator) -> String {
        let characters = (0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return "C-" + String(characters[0..<4]) + "-" + String(characters[4..<8])
    }

    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// The canonical form of a typed token (upper case), or nil when it is not a token.
    public static func normalised(_ typed: String) -> String? {
        let token = typed.uppercased()
        let units = Array(token)
        guard units.count == 11, units[0] == "C", units[1] == "-", units[6] == "-" else { return nil }
        for index in [2, 3, 4, 5, 7, 8, 9, 10] where !alphabet.contains(units[index]) { return nil }
        return token
    }
}
