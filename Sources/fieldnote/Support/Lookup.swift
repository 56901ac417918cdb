import Storage
import SyncCore

/// Turning what people type into store ids and tokens.
extension Store {
    /// The note an id prefix names; unknown and ambiguous prefixes throw (exit 3).
    func note(prefix: String) throws -> NoteRecord {
        try note(try resolve(prefix: prefix))
    }

    /// The case named by a token (any case of letters) or by its local alias.
    func requireCase(_ tokenOrAlias: String) throws -> CaseRecord {
        guard let found = try findCase(tokenOrAlias) else {
            throw CommandFailure(
                "no case \"\(tokenOrAlias)\": give a token like C-7K2Q-9XDM or an alias (see `fieldnote case list`)",
                status: .notFound)
        }
        return found
    }

    /// Case token → local alias, for labelling listings.
    func caseAliases() throws -> [String: String] {
        var aliases: [String: String] = [:]
        for record in try cases() { if let alias = record.alias { aliases[record.token] = alias } }
        return aliases
    }
}

enum Parse {
    /// A space name, checked by SyncCore (exit 4 when malformed); whether the space exists is
    /// checked once the store is open (`StoreOptions.withStore(knowing:)`).
    static func space(_ name: String?) throws -> SpaceID? {
        guard let name else { return nil }
        return try SpaceID(name)
    }
}

extension Store {
    /// The id as printed: its first 8 hex digits, or as many more as it takes to name only this note.
    ///
    /// Ids begin with their creation time, so notes written within about a minute of each other
    /// share their first 8 digits; a prefix that another note shares could not be typed back in.
    /// The store finds the length from the id's two neighbours in its index, not by trying prefixes.
    func shortID(_ id: EntityID) throws -> String {
        try shortestUniquePrefix(of: id, kind: .note, minimumLength: 8)
    }
}
