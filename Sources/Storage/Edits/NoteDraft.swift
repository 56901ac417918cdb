import Foundation
import SyncCore

/// An entity to be created: what `addNote` takes, and what `addNotes` takes many of at once.
///
/// Most drafts are notes. `kind` lets the findings component store its own entities the same
/// way, so they replicate like any other entity of their space while note listings, search and
/// `status` never show them (they all select notes only). What each kind accepts is in `DraftRules`.
public struct NoteDraft: Sendable, Hashable {
    public var text: String
    public var space: SpaceID
    /// A case token such as `C-7K2Q-9XDM`; it must name a case this store knows. Notes only.
    public var caseToken: String?
    public var tags: [String]
    /// Known field keys only for notes and evidence (see `FieldCatalog`); values are checked
    /// against their type and range. Findings carry their own text fields (see `DraftRules`).
    public var fields: [String: FieldValue]
    /// What to create: `.note` (default), `.finding` or `.evidence`. Cases are made by `addCase`.
    public var kind: EntityKind
    /// Ids of findings to link, written in the same transaction as the entity.
    public var links: [String]

    public init(
        text: String, space: SpaceID = .team, caseToken: String? = nil, tags: [String] = [], fields: [String: FieldValue] = [:],
        kind: EntityKind = .note, links: [String] = []
    ) {
        self.text = text
        self.space = space
        self.caseToken = caseToken
        self.tags = tags
        self.fields = fields
        self.kind = kind
        self.links = links
    }
}

/// Tags are short labels: 1–64 characters, no whitespace, no commas (the client splits on them).
enum TagRules {
    static func validated(_ tag: String) throws(StoreError) -> String {
        // Foundation's trimming (through NSString) cost more than every other check of a note
        // together on the bulk path; a tag rarely has anything to trim, so look before trimming.
        let needsTrim = tag.first.map(\.isWhitespace) == true || tag.last.map(\.isWhitespace) == true
        let trimmed = needsTrim ? tag.trimmingCharacters(in: .whitespaces) : tag
        guard !trimmed.isEmpty, trimmed.count <= 64,
              !trimmed.contains(where: { $0.isWhitespace || $0 == "," }) else {
            throw StoreError(.invalidArgument, "invalid tag \"\(tag)\": use 1–64 characters without spaces or commas")
        }
        return trimmed
    }
}

/// What a draft of each kind may hold, checked before anything is written.
///
/// - `.note`: anything a note takes.
/// - `.evidence`: an anonymised record for the `evidence` space, so never a case token: the
///   store refuses one here, whatever the caller does. Fields are the known ones (metrics, `week`).
/// - `.finding`: a user-added finding. Its fields are text attributes (title, quote, source…)
///   that the findings component validates; the store checks only that keys are well formed and
///   values are strings of at most `maximumFindingFieldLength` characters. No case token.
/// - `.caseReference`: refused; `addCase` makes cases, with a fresh token.
enum DraftRules {
    static let maximumFindingFieldLength = 4_000
    static let maximumLinkLength = 80

    static func checked(_ draft: NoteDraft) throws(StoreError) -> NoteDraft {
        var draft = draft
        switch draft.kind {
        case .caseReference:
            throw StoreError(.invalidArgument, "cases are made with addCase, not as drafts")
        case .evidence, .finding:
            guard draft.caseToken == nil else {
                throw StoreError(.invalidArgument, "a \(draft.kind) never carries a case token")
            }
        case .note:
            break
        }
        try NoteSizeRule.check(draft.text)
        draft.tags = try draft.tags.map(TagRules.validated)
        draft.links = try draft.links.map(validatedLink)
        if draft.kind == .finding {
            for (key, value) in draft.fields {
                guard FieldKey.isValid(key), !FieldCatalog.reservedKeys.contains(key) else {
                    throw StoreError(.unknownField, "invalid finding field \"\(key)\": use 1–64 of a-z 0-9 _ .")
                }
                guard case .string(let text) = value, text.count <= maximumFindingFieldLength else {
                    throw StoreError(.invalidFieldValue, "finding field \(key) takes text of at most \(maximumFindingFieldLength) characters")
                }
            }
        } else {
            for (key, value) in draft.fields { draft.fields[key] = try FieldCatalog.validate(key: key, value: value) }
        }
        if let token = draft.caseToken { draft.caseToken = try CaseToken.normalised(token).orThrow(unknownCase(token)) }
        return draft
    }

    /// A finding id as a link element: not empty, no whitespace, at most 80 characters.
    static func validatedLink(_ finding: String) throws(StoreError) -> String {
        guard !finding.isEmpty, finding.count <= maximumLinkLength, !finding.contains(where: \.isWhitespace) else {
            throw StoreError(.invalidArgument, "invalid finding id \"\(finding)\": use up to \(maximumLinkLength) characters without spaces")
        }
        return finding
    }
}

/// The one limit on a note's length (`OpCodec.maximumNoteScalars`), checked before a local write.
///
/// Why here and not in the commands: every way text enters a store locally (`add`, `edit`,
/// import, findings) passes through `addNotes` or `editText`, and a note longer than a peer's
/// decoder accepts must never be written, or it would be stored and then block sync.
enum NoteSizeRule {
    static func check(_ text: String) throws(StoreError) {
        let length = text.unicodeScalars.count
        guard length <= OpCodec.maximumNoteScalars else {
            throw StoreError(.noteTooLong, "the text is \(length) characters long; a note holds at most \(OpCodec.maximumNoteScalars)")
        }
    }
}
