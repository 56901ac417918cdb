import SyncCore

/// The header of a BATCH body (Protocol.md 2.5): its number, space and the authors' proofs; the
/// op batch follows. Here rather than beside the other messages in SyncCore because proofs are
/// the transport's (2.8).
struct BatchHeader {
    var number: UInt64
    var space: SpaceID
    /// The authors' proofs of the batch's ops (Protocol.md 2.8).
    var proofs: [ChainProof]
    /// Where the OpCodec batch starts in the body.
    var payloadOffset: Int

    static func encode(number: UInt64, space: SpaceID, proofs: [ChainProof], payload: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: payload.count + 48 + proofs.count * 180)
        writer.varint(number)
        writer.string(space.name)
        writer.varint(proofs.count)
        for proof in proofs { proof.encode(to: &writer) }
        writer.raw(payload)
        return writer.bytes
    }

    static func decode(_ body: [UInt8]) throws(SessionError) -> BatchHeader {
        var reader = ByteReader(body)
        do {
            let number = try reader.varint()
            let name = try reader.string()
            guard let space = try? SpaceID(name) else { throw CodecError(.invalidValue, at: 0, "invalid space name") }
            let proofs = try ChainProof.decodeAll(&reader, space: space)
            return BatchHeader(number: number, space: space, proofs: proofs, payloadOffset: reader.offset)
        } catch {
            throw SessionError(.malformed, "BATCH header: \(error)")
        }
    }
}
