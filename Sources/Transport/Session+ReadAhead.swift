import SyncCore

/// A frame read before the state machine asked for it, and, for a batch, its ops being decoded
/// on another thread.
///
/// Why: a receiver applies each batch, then reads and decodes the next, one after the other on
/// its thread, while the sender has the next batches in flight already (`SyncProtocol.batchWindow`).
/// Decoding a batch of 8,000 ops was about a twentieth of the receiving thread's time in a
/// first sync. Read before the store applies the batch in hand, the next one is decoded on the
/// other core meanwhile.
struct ReadAhead {
    /// The frame, or what went wrong reading it: told when the machine asks for the frame, so
    /// the batch in hand is applied and acknowledged first, as it would have been.
    let frame: Result<Frame, TransportError>
    /// The ops of a BATCH frame whose header decoded.
    let decoding: BackgroundResult<[Op]>?
}

extension SyncSession {
    /// Reads the next frame now if the peer has begun to send it, and starts decoding a batch's
    /// ops; nil when nothing has arrived.
    ///
    /// Never waits for the peer to begin: a sender that has filled its window sends nothing more
    /// (and its DONE only) until this side's ACK, which is sent after the batch in hand is
    /// applied. A frame that has begun to arrive is sent whole by the peer before it waits for
    /// anything, so reading the rest of it waits only for the network.
    func readAheadIfArriving() -> ReadAhead? {
        guard stream.hasPendingInput else { return nil }
        let frame = Result { () throws(TransportError) in try readFrame() }
        guard case .success(let read) = frame, read.type == MessageType.batch.rawValue,
              let header = try? BatchHeader.decode(read.body) else {
            return ReadAhead(frame: frame, decoding: nil)
        }
        let body = read.body
        return ReadAhead(frame: frame, decoding: BackgroundResult { () throws(TransportError) in try Self.decodeOps(header, body) })
    }

    /// The frame read ahead, if any (after sending what this side has queued, as `readFrame`
    /// does before it waits: the ACKs since), else the next frame from the stream.
    func nextFrame(_ ahead: inout ReadAhead?) throws(TransportError) -> (Frame, BackgroundResult<[Op]>?) {
        guard let early = ahead else { return (try readFrame(), nil) }
        ahead = nil
        try flush()
        return (try early.frame.get(), early.decoding)
    }
}
