extension OpCodec {
    /// Writes the bytes of `op` that its author's hash chain commits to (Protocol.md 2.8): its
    /// whole id, its timestamp and its standalone payload. Every implementation must produce
    /// these bytes exactly, since a signature over the chain is checked on every device the op
    /// reaches; so they are spelled out in full rather than taken from a batch, whose encoding
    /// depends on the ops around it.
    public static func writeAuthored(_ op: Op, to writer: inout ByteWriter) {
        writer.bytes16(high: op.id.replica.high, low: op.id.replica.low)
        writer.string(op.id.space.name)
        writer.varint(op.id.seq)
        writer.varint(op.timestamp.millis)
        writer.varint(UInt64(op.timestamp.counter))
        writer.byte(payloadVersion)
        writer.byte(Tag.of(op.payload))
        writePayloadBody(op.payload, references: StandaloneReferences(), to: &writer)
    }
}
