import Foundation
import Storage
import SyncCore

/// Stable JSON for scripts: sorted keys, ISO 8601 dates in UTC, full 32-hex-digit ids.
///
/// A note always has the keys `id`, `space`, `created`, `updated`, `case` (null when none),
/// `tags`, `fields`, `text` and `links`.
enum JSONOutput {
    static func note(_ note: NoteRecord) -> [String: Any] {
        [
            "id": note.id.hex,
            "space": note.space.name,
            "created": Dates.iso8601(note.created),
            "updated": Dates.iso8601(note.updated),
            "case": note.caseToken.map { $0 as Any } ?? NSNull(),
            "tags": note.tags.sorted(),
            "fields": note.fields.mapValues(value),
            "text": note.text,
            "links": note.links.sorted(),
        ]
    }

    /// A field value as JSON. JSON has no NaN or infinity, and JSONSerialization fails on one (on
    /// macOS it raises an exception that ends the process). Neither can be written locally or
    /// arrive through the op codec, but a store's contents come from other devices: one that
    /// is there anyway is written as null rather than taking the command down.
    static func value(_ value: FieldValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let bool): bool
        case .int(let int): int
        case .double(let double): double.isFinite ? double : NSNull()
        case .string(let string): string
        }
    }

    /// Writes `object` to stdout as pretty-printed JSON with sorted keys.
    static func print(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

extension JSONOutput {
    /// A case: `token`, `alias` (null when none, never synced), `space`, `created`, `note_count`.
    static func caseRecord(_ record: CaseRecord) -> [String: Any] {
        [
            "token": record.token,
            "alias": record.alias.map { $0 as Any } ?? NSNull(),
            "space": record.space.name,
            "created": Dates.iso8601(record.created),
            "note_count": record.noteCount,
        ]
    }
}
