@testable import SyncCore

/// The inputs of `Tests/Fixtures/protocol/refused.json`: byte strings a receiver must refuse,
/// one rule of Protocol.md 1.7, 1.8, 1.10 or 2.4 broken by each, and the code each leads to.
///
/// Why each breaks one rule only: the spec does not order its checks, so an input that broke two
/// could fairly be refused under either code. Where a small input cannot avoid it (a count above
/// its limit, with too few bytes left to hold it), `alsoConforming` names the other code.
/// The code written here by hand is what the generator holds the decoder to before writing.
enum FixtureRefusals {
    typealias B = FixtureBatches
    typealias R = RawBatch
    typealias Tag = OpCodec.Tag

    struct Refusal {
        var name: String
        var section: String
        var reason: String
        /// The decoder's code (1.8), nil when the batch decodes and a later check refuses it.
        var code: CodecError.Code?
        var wire: String = "malformed"
        var alsoConforming: [CodecError.Code] = []
        /// The space the BATCH message names (2.4 step 4), when the case depends on it.
        var batchSpace: String? = nil
        var bytes: [UInt8]
    }

    static func refusal(_ name: String, _ section: String, _ code: CodecError.Code?, _ reason: String, _ bytes: [UInt8]) -> Refusal {
        Refusal(name: name, section: section, reason: reason, code: code, bytes: bytes)
    }

    static var all: [Refusal] { structure + tags + numbers + strings + references + FixtureRefusalsContent.all }

    static var structure: [Refusal] {
        [
            refusal("empty-input", "1.8", .truncated, "empty input", []),
            refusal("ends-inside-a-replica-id", "1.8", .truncated, "the input ends inside the replica table's id",
                    Array(R.make(ops: 0).prefix(16))),
            refusal("op-count-beyond-the-bytes", "1.7", .truncated, "5 ops declared, 3 bytes left: fewer than 2 bytes an op",
                    R.make(ops: 5) { $0.raw([0xE1, 0x00, 0x00]) }),
            refusal("version-2", "1.3", .unsupportedVersion, "batch version 2, no longer spoken", R.make(version: 2, ops: 0)),
            refusal("version-4", "1.3", .unsupportedVersion, "batch version 4", R.make(version: 4, ops: 0)),
            refusal("version-0", "1.3", .unsupportedVersion, "batch version 0", R.make(version: 0, ops: 0)),
            refusal("bytes-after-the-last-op", "1.8", .trailingBytes, "one byte after the last op", R.make(ops: 1) { R.create(&$0); $0.byte(0) }),
            refusal("first-op-same-flag", "1.4", .invalidValue, "flag 0x20 (same) on the first op of a batch",
                    R.make(ops: 1) { $0.raw([Tag.purge | Tag.sameFlag, 0x00, 0x00]) }),
            refusal("first-op-same-millisecond-flag", "1.4", .invalidValue, "flag 0x40 (same millisecond) on the first op of a batch",
                    R.make(ops: 1) { $0.raw([Tag.purge | Tag.sameMillisFlag, 0x00, 0x00, 0x00, 0x00, 0x00]) }),
            refusal("run-as-first-op", "1.5", .invalidValue, "an ASCII run with no op before it", R.make(ops: 1) { $0.raw([0xE1, 0x00]) }),
            refusal("backspace-run-as-first-op", "1.5", .invalidValue, "a backspace run with no op before it", R.make(ops: 1) { $0.raw([Tag.backspaceRun, 0x00]) }),
            refusal("backspace-run-after-create", "1.5", .invalidValue, "a backspace run after a create, which it cannot continue",
                    R.make(ops: 2) { R.create(&$0); $0.raw([Tag.backspaceRun, 0x02]) }),
            refusal("insertion-run-after-deletion", "1.5", .invalidValue, "an ASCII run after a deletion, which it cannot continue",
                    R.make(ops: 2) { writer in
                        R.head(&writer, tag: Tag.deleteText, seq: 1)
                        writer.raw([0x00, 0x01, 0x02, 0x05, 0x01])  // entity 0, one range: replica entry 0, seq 5, count 1
                        writer.raw([0xE1, 0x02])
                    }),
            refusal("backspace-run-before-seq-1", "1.5", .invalidValue, "a backspace run after a deletion whose range starts at seq 1: no character before it",
                    R.make(ops: 2) { writer in
                        R.head(&writer, tag: Tag.deleteText, seq: 2)
                        writer.raw([0x00, 0x01, 0x02, 0x01, 0x01])  // entity 0, one range: replica entry 0, seq 1, count 1
                        writer.raw([Tag.backspaceRun, 0x02])
                    }),
        ]
    }

    static var tags: [Refusal] {
        let unknown: [(UInt8, String)] = [
            (0x00, "tag 0x00"), (0x0A, "kind 0x0A, past the nine kinds"), (0x0F, "kind 0x0F"), (0x13, "flag 0x10 on addElement"),
            (0x16, "flag 0x10 on deleteText"), (0x1F, "flag 0x10 on kind 0x0F"), (0x37, "flags 0x10 and 0x20 on setDeleted"), (0x7A, "kind 0x0A with every flag"),
        ]
        return unknown.map { tag, what in
            refusal("unknown-tag-\(FixtureHex.string([tag]))", "1.4", .unknownTag, "\(what), as the second op", R.make(ops: 2) { R.create(&$0); $0.byte(tag) })
        } + [
            refusal("field-value-type-6", "1.4", .unknownTag, "a field value of type 6",
                    R.make(ops: 1) { writer in
                        R.head(&writer, tag: Tag.setField)
                        writer.varint(0)
                        writer.string("caseload")
                        writer.raw([6, 0])
                    }),
        ]
    }

    static var numbers: [Refusal] {
        [
            refusal("varint-past-64-bits", "1.1", .overflow, "the space count is a varint whose tenth byte is 0x02",
                    [OpCodec.version] + Array(repeating: 0xFF, count: 9) + [0x02]),
            refusal("varint-non-canonical", "1.1", .nonCanonical, "the space count is 80 00, a 0 with a redundant zero byte",
                    [OpCodec.version, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
            refusal("counter-past-32-bits", "1.4", .overflow, "a full-form counter of 2^32", R.make(ops: 1) { R.create(&$0, counter: 1 << 32) }),
            refusal("counter-sum-past-32-bits", "1.4", .overflow, "a same-millisecond counter delta taking the counter from 5 to 2^32",
                    R.make(ops: 2) { writer in
                        R.create(&writer, counter: 5)
                        writer.byte(Tag.purge | Tag.sameFlag | Tag.sameMillisFlag)
                        writer.varint((1 << 32) - 5)
                    }),
            refusal("run-counter-past-32-bits", "1.5", .overflow, "a run timestamp whose counter is 2^32",
                    R.make(ops: 2) { writer in
                        R.insert(&writer, "a")
                        writer.raw([0xE2, 0x01])
                        writer.varint(1 << 32)
                    }),
            refusal("run-counter-zero", "1.5", .nonCanonical, "a run timestamp with its counter flag set and counter 0",
                    R.make(ops: 2) { R.insert(&$0, "a"); $0.raw([0xE2, 0x01, 0x00]) }),
            refusal("run-millis-past-64-bits", "1.5", .overflow, "a run 2 ms after an insertion at millis 2^64 - 2",
                    R.make(ops: 2) { R.insert(&$0, "a", millis: UInt64.max - 1); $0.raw([0xE2, 0x04]) }),
            refusal("op-past-the-last-seq", "1.2", .overflow, "an insertion of two characters at seq 2^64 - 1",
                    R.make(ops: 1) { R.insert(&$0, "ab", seq: UInt64.max) }),
            refusal("run-past-the-last-seq", "1.5", .overflow, "an ASCII run after an insertion ending at seq 2^64 - 1",
                    R.make(ops: 2) { R.insert(&$0, "a", seq: UInt64.max); $0.raw([0xE2, 0x02]) }),
            refusal("erased-span-past-the-last-seq", "1.2", .overflow, "an erased op at seq 2 spanning 2^64 - 1",
                    R.make(ops: 1) { writer in
                        R.head(&writer, tag: Tag.erased, seq: 2)
                        writer.varint(0)
                        writer.varint(UInt64.max)
                    }),
            refusal("range-past-the-last-seq", "1.4", .overflow, "a deleted range from seq 2 of count 2^64 - 1",
                    R.make(ops: 1) { writer in
                        R.head(&writer, tag: Tag.deleteText)
                        writer.raw([0x00, 0x01, 0x02, 0x02])
                        writer.varint(UInt64.max)
                    }),
            refusal("seq-zero", "1.4", .invalidValue, "an op whose seq delta gives seq 0", R.make(ops: 1) { writer in
                R.head(&writer, tag: Tag.purge, seq: 0)
                writer.varint(0)
            }),
            refusal("erased-span-zero", "1.4", .invalidValue, "an erased op of span 0", R.make(ops: 1) { R.head(&$0, tag: Tag.erased); $0.raw([0x00, 0x00]) }),
            refusal("range-count-zero", "1.4", .invalidValue, "a deleted range of count 0",
                    R.make(ops: 1) { R.head(&$0, tag: Tag.deleteText); $0.raw([0x00, 0x01, 0x02, 0x05, 0x00]) }),
            refusal("entity-kind-0", "1.4", .invalidValue, "a create of entity kind 0", R.make(ops: 1) { R.head(&$0, tag: Tag.create); $0.raw([0x00, 0x00]) }),
            refusal("entity-kind-5", "1.4", .invalidValue, "a create of entity kind 5", R.make(ops: 1) { R.head(&$0, tag: Tag.create); $0.raw([0x00, 0x05]) }),
            refusal("deleted-flag-2", "1.4", .invalidValue, "a setDeleted whose flag byte is 2",
                    R.make(ops: 1) { R.head(&$0, tag: Tag.setDeleted); $0.raw([0x00, 0x02, 0x00]) }),
        ] + [(Double.nan, "nan"), (.infinity, "infinity"), (-.infinity, "minus-infinity")].map { value, name in
            refusal("double-\(name)", "1.4", .invalidValue, "a field value that is \(value)", R.make(ops: 1) { writer in
                R.head(&writer, tag: Tag.setField)
                writer.varint(0)
                writer.string("hours")
                writer.byte(OpCodec.ValueType.double)
                writer.fixed64(value.bitPattern)
                writer.varint(0)
            })
        }
    }

    static var strings: [Refusal] {
        let malformedUTF8: [(String, String, [UInt8])] = [
            ("surrogate", "a surrogate code point, ED A0 80", [0xED, 0xA0, 0x80]),
            ("overlong", "an overlong NUL, C0 80", [0xC0, 0x80]),
            ("stray-continuation", "a stray continuation byte, 80", [0x61, 0x80]),
            ("missing-continuation", "a lead byte without its continuation, C3 41", [0xC3, 0x41]),
        ]
        let names: [(String, String, [String])] = [
            ("space-name-uppercase", "space name \"Team\"", ["Team"]), ("space-name-digit-first", "space name \"9team\"", ["9team"]),
            ("space-name-empty", "an empty space name", [""]), ("space-twice", "space \"team\" twice in the table", ["team", "team"]),
        ]
        return malformedUTF8.map { name, what, bytes in
            refusal("utf8-\(name)", "1.1", .invalidUTF8, "an element holding \(what)", R.addElement(rawElement: bytes))
        } + names.map { name, what, spaces in
            refusal(name, "1.3", .invalidValue, what, R.make(spaces: spaces, ops: 0))
        } + [
            refusal("space-name-33-bytes", "1.3", .lengthOutOfRange, "a space name of 33 bytes", R.make(spaces: [String(repeating: "a", count: 33)], ops: 0)),
            refusal("spaces-257", "1.7", .lengthOutOfRange, "257 spaces, all present: the limit is 256", R.make(spaces: (0...256).map { "s\($0)" }, ops: 0)),
            refusal("replica-twice", "1.3", .invalidValue, "replica A twice in the table", R.make(replicas: [B.a, B.a], ops: 0)),
            refusal("entity-twice", "1.3", .invalidValue, "the note twice in the table", R.make(entities: [B.note, B.note], ops: 0)),
            refusal("string-beyond-the-bytes", "1.1", .truncated, "an element of 10 bytes with 3 left",
                    R.make(ops: 1) { writer in
                        R.head(&writer, tag: Tag.addElement)
                        writer.varint(0)
                        writer.string("tags")
                        writer.raw([0x0A, 0x61, 0x62, 0x63])
                    }),
            key("key-uppercase", "field key \"Caseload\"", "Caseload"), key("key-65-bytes", "a field key of 65 bytes", String(repeating: "k", count: 65)),
            key("key-empty", "an empty field key", ""), key("key-hyphen", "field key \"case-load\" (a hyphen)", "case-load"),
            refusal("set-name-space", "1.4", .invalidValue, "set name \"my tags\"", R.make(ops: 1) { writer in
                R.head(&writer, tag: Tag.addElement)
                writer.varint(0)
                writer.string("my tags")
                writer.string("a")
            }),
            refusal("empty-insertion", "1.4", .invalidValue, "an insertion of empty text", R.make(ops: 1) { R.insert(&$0, "") }),
        ]
    }

    static func key(_ name: String, _ what: String, _ key: String) -> Refusal {
        refusal(name, "1.4", .invalidValue, what, R.make(ops: 1) { writer in
            R.head(&writer, tag: Tag.setField)
            writer.varint(0)
            writer.string(key)
            writer.raw([OpCodec.ValueType.null, 0x00])
        })
    }

    /// A second op, a purge of the same entity in the same millisecond: it keeps a list's count
    /// within the bytes left (1.7), so the case breaks the one rule it is about.
    static let purgeSame: [UInt8] = [Tag.purge | Tag.sameFlag | Tag.sameMillisFlag, 0x01]

    static var references: [Refusal] {
        [
            refusal("space-index-past-the-table", "1.3", .indexOutOfRange, "space index 1 of a table of 1",
                    R.make(ops: 1) { $0.raw([Tag.purge, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00]) }),
            refusal("replica-index-past-the-table", "1.3", .indexOutOfRange, "replica index 1 of a table of 1",
                    R.make(ops: 1) { $0.raw([Tag.purge, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]) }),
            refusal("entity-index-past-the-table", "1.3", .indexOutOfRange, "entity index 1 of a table of 1",
                    R.make(ops: 1) { R.head(&$0, tag: Tag.purge); $0.varint(1) }),
            refusal("selector-past-the-replica-table", "1.4", .indexOutOfRange, "a character id with selector 3: replica entry 1 of a table of 1",
                    R.make(ops: 1) { R.head(&$0, tag: Tag.insertText); $0.raw([0x00, 0x03, 0x01, 0x00, 0x01, 0x61]) }),
            refusal("own-character-at-seq-0", "1.4", .invalidValue, "an origin by selector 1 whose d gives seq 0 (op seq 4, d = 4)",
                    R.make(ops: 1) { R.head(&$0, tag: Tag.insertText, seq: 4); $0.raw([0x00, 0x01, 0x08, 0x00, 0x01, 0x61]) }),
            refusal("dot-at-seq-0", "1.4", .invalidValue, "an observed dot of replica entry 0 at seq 0",
                    R.make(ops: 1) { writer in
                        R.head(&writer, tag: Tag.removeElement)
                        writer.varint(0)
                        writer.string("tags")
                        writer.string("a")
                        writer.raw([0x01, 0x02, 0x00])
                    }),
            refusal("absent-range-start", "1.4", .invalidValue, "selector 0 (absent) as a deleted range's start",
                    R.make(ops: 2) { R.head(&$0, tag: Tag.deleteText); $0.raw([0x00, 0x01, 0x00, 0x01]); $0.raw(purgeSame) }),
            refusal("absent-pred", "1.4", .invalidValue, "selector 0 (absent) in a setDeleted's pred",
                    R.make(ops: 2) { R.head(&$0, tag: Tag.setDeleted); $0.raw([0x00, 0x01, 0x01, 0x00]); $0.raw(purgeSame) }),
        ]
    }
}
