import SyncCore

extension SyncSession {
    /// Reads one frame, checking its length against this side's limit before allocating. Sends
    /// what this side has written first: it is about to wait for the peer.
    func readFrame() throws(TransportError) -> Frame {
        try flush()
        if let frameDeadline {
            watchdog.arm("reading a frame", frameDeadline)
        }
        defer { if frameDeadline != nil { watchdog.disarm() } }
        progressClock.waiting(true)
        defer { progressClock.waiting(false) }
        var header = [UInt8](repeating: 0, count: 5)
        try stream.read(into: &header, at: 0, count: 4)
        let length: Int
        do { length = try Frame.bodyLength(header, limit: min(limits.maxFrameBytes, SyncProtocol.maxFrameBytes)) } catch {
            throw error
        }
        // The type byte on its own, so the body lands where it stays (removing a first byte
        // would move every byte of a batch).
        try stream.read(into: &header, at: 4, count: 1)
        var body = [UInt8](repeating: 0, count: length - 1)
        if length > 1 { try stream.read(into: &body, at: 0, count: length - 1) }
        let type = header[4]
        progressClock.moved(4 + length)
        if type == MessageType.error.rawValue { throw ErrorMessage.decode(body) }
        return Frame(type: type, body: body)
    }

    /// Queues a frame; it leaves with the next `flush`, at once when the queue is large.
    func writeFrame(_ type: MessageType, _ body: [UInt8]) throws(TransportError) {
        let length = body.count + 1
        unsent += [UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type.rawValue]
        unsent += body
        progressClock.moved(body.count + 5)
        if unsent.count >= Self.flushBytes { try flush() }
    }

    /// Hands every queued frame to TLS.
    func flush() throws(TransportError) {
        guard !unsent.isEmpty else { return }
        let bytes = unsent
        unsent = []
        try stream.write(bytes)
    }

    /// Queued bytes past which frames are sent without waiting for a read: a batch is sent as it
    /// is made, while ACKs and small frames of one flight travel together.
    static let flushBytes = 64 << 10
}
