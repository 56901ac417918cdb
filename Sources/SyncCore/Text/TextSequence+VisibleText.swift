extension TextSequence {
    /// The text a reader sees in a stored state (`serialized()`): what
    /// `TextSequence(serialized:).text` returns, without building the sequence.
    ///
    /// Why: the search index is built from stored notes after a sync (`SearchBacklog`), and
    /// building each note's sequence — its runs, their tree, every replica interned — to read
    /// its text back was most of that work. This walks the runs once for their lengths and
    /// deleted flags and copies the characters of the live ones; a state without deleted runs,
    /// the common case, is its stored UTF-8 as it is.
    ///
    /// It checks what it reads as the decoder does, so a corrupt state throws instead of
    /// trapping, but it does not re-check what only the CRDT needs (origins, repeated
    /// characters): a state it accepts and the decoder refuses is corrupt either way.
    public static func visibleText(serialized bytes: [UInt8]) throws(CodecError) -> String {
        var reader = ByteReader(bytes)
        let version = try reader.byte()
        guard version == serializationVersion else {
            throw CodecError(.unsupportedVersion, at: 0, "text state version \(version) is not supported")
        }
        let replicaCount = try reader.count(limit: reader.remaining / 16)
        _ = try reader.raw(replicaCount * 16)
        let runCount = try reader.count(limit: reader.remaining / 5)
        guard runCount == 0 || replicaCount > 0 else {
            throw CodecError(.invalidValue, at: reader.offset, "runs without replicas")
        }
        // Lengths in characters, negative for a deleted run.
        var runs: [Int] = []
        runs.reserveCapacity(runCount)
        var characters = 0
        var anyDeleted = false
        for _ in 0..<runCount {
            let start = reader.offset
            let flags = try reader.byte()
            _ = try reader.count(limit: replicaCount - 1)
            _ = try reader.signedVarint()
            let length = try reader.count(limit: max(0, reader.remaining - characters))
            guard length > 0 else { throw CodecError(.invalidValue, at: start, "empty run") }
            // The origin and the right origin, where they follow: a replica index and a seq each.
            for flag in [Flag.origin, Flag.rightOrigin] where flags & flag != 0 {
                _ = try reader.count(limit: replicaCount - 1)
                _ = try reader.signedVarint()
            }
            let deleted = flags & Flag.deleted != 0
            anyDeleted = anyDeleted || deleted
            runs.append(deleted ? -length : length)
            characters += length
        }
        let textOffset = reader.offset
        let utf8 = try reader.lengthPrefixed()
        guard reader.isAtEnd else { throw CodecError(.trailingBytes, at: reader.offset, "bytes after the text state") }
        guard let decoded = String(utf8Validating: utf8) else {
            throw CodecError(.invalidUTF8, at: textOffset, "text is not valid UTF-8")
        }
        guard anyDeleted else {
            guard decoded.unicodeScalars.count == characters else {
                throw CodecError(.invalidValue, at: textOffset, "text has \(decoded.unicodeScalars.count) characters, the runs \(characters)")
            }
            return decoded
        }
        var visible = String.UnicodeScalarView()
        var scalars = decoded.unicodeScalars.makeIterator()
        for run in runs {
            for _ in 0..<abs(run) {
                guard let scalar = scalars.next() else {
                    throw CodecError(.invalidValue, at: textOffset, "text has fewer characters than the runs \(characters)")
                }
                if run > 0 { visible.append(scalar) }
            }
        }
        guard scalars.next() == nil else {
            throw CodecError(.invalidValue, at: textOffset, "text has more characters than the runs \(characters)")
        }
        return String(visible)
    }
}
