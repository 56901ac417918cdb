import Foundation
import SyncCore

/// A note to be created: what `addNote` takes, and what `addNotes` takes many of at once.
public struct NoteDraft: Sendable, Hashable {
    public var text: String
    public var space: SpaceID
    /// A case token such as `C-7K2Q-9XDM`; it must name a case this store knows.
    public var caseToken: String?
    public var tags: [String]
    /// Known field keys only (see `FieldCatalog`); values are checked against their type and range.
    public var fields: [String: FieldValue]

    public init(text: String, space: SpaceID = .team, caseToken: String? = nil, tags: [String] = [], fields: [String: FieldValue] = [:]) {
        self.text = text
        self.space = space
        self.caseToken = caseToken
        self.tags = tags
        self.fields = fields
    }
}

/// Tags are short labels: 1–64 characters, no whitespace, no commas (the client splits on them).
enum TagRules {
    static func validated(_ tag: String) throws(StoreError) -> String {
        let trimmed = tag.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 64,
              !trimmed.contains(where: { $0.isWhitespace || $0 == "," }) else {
            throw StoreError(.invalidArgument, "invalid tag \"\(tag)\": use 1–64 characters without spaces or commas")
        }
        return trimmed
    }
}
