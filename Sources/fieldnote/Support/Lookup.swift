import Storage
import SyncCore

/// Turning what people type into store ids and tokens.
extension Store {
    /// The note an id prefix names; unknown and ambiguous prefixes throw (exit 3).
    func note(prefix: String) throws -> NoteRecord {
        try note(try noteID(prefix: prefix))
    }

    /// The id of the note that `typed` names (see `Store.resolve(prefix:kind:)`). An unknown id
    /// says where ids are shown: ids printed before they were taken from the random part are no
    /// longer accepted, unless given in full.
    func noteID(prefix typed: String) throws -> EntityID {
        do {
            return try resolve(prefix: typed)
        } catch {
            guard error.code == .unknownID else { throw error }
            throw CommandFailure("\(error.message); `fieldnote list` and `fieldnote search` show note ids", status: .notFound)
        }
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
    /// The id to print for a note: 8 digits of its random part, more only when a note this
    /// device knew earlier shares them. It names that note for as long as the store exists.
    func shortID(_ id: EntityID) throws -> String {
        try shownID(of: id)
    }
}
