import SyncCore

/// The frame and message decoders applied to bytes held in memory instead of a socket: what a
/// peer's byte stream decodes to, checked to re-encode to the same messages.
///
/// This is the surface the fuzz targets (`Fuzz/`) and the replay of saved crash inputs drive. It
/// uses exactly the decoders a session uses (`Frame.bodyLength`, `Hello.decode`,
/// `BatchHeader.decode`, `OpCodec.decode`, `Counts.decode`, `ErrorMessage.decode`), so a byte
/// string that traps here would trap a server reading it from a peer.
public enum WireCheck {
    /// What `check` found.
    public enum Outcome: Sendable, Equatable {
        /// Every frame decoded and each message re-encoded to an equal message.
        case roundTripped(messages: Int)
        /// The bytes were refused, as a session would refuse them (after `messages` good ones).
        case refused(TransportError, messages: Int)
        /// A decoded message re-encoded to something that decodes differently: a codec bug.
        case mismatch(String)
    }

    /// Decodes `bytes` as a sequence of frames (Protocol.md 2.3), each frame's message by its type
    /// (2.5), with `frameLimit` as this side's receive limit.
    public static func check(_ bytes: [UInt8], frameLimit: Int = SyncProtocol.maxFrameBytes) -> Outcome {
        var offset = 0
        var messages = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 4 else {
                return .refused(TransportError(.connectionLost, "the input ends inside a frame header"), messages: messages)
            }
            let length: Int
            do { length = try Frame.bodyLength(Array(bytes[offset..<offset + 4]), limit: frameLimit) } catch {
                return .refused(error, messages: messages)
            }
            offset += 4
            guard bytes.count - offset >= length else {
                return .refused(TransportError(.connectionLost, "the input ends inside a frame"), messages: messages)
            }
            let frame = Frame(type: bytes[offset], body: Array(bytes[offset + 1..<offset + length]))
            offset += length
            switch checkMessage(frame) {
            case .success(true): messages += 1
            case .success(false): return .mismatch("message \(messages + 1) (type \(frame.type)) does not round-trip")
            case .failure(let error): return .refused(error, messages: messages)
            }
        }
        return .roundTripped(messages: messages)
    }

    /// Decodes one frame's message; true when it re-encodes to an equal message.
    static func checkMessage(_ frame: Frame) -> Result<Bool, TransportError> {
        Result { () throws(TransportError) -> Bool in
            switch MessageType(rawValue: frame.type) {
            case .hello:
                let hello = try Hello.decode(frame.body)
                return try Hello.decode(hello.encode()) == hello
            case .batch:
                let header = try BatchHeader.decode(frame.body)
                let batch: OpBatch
                do { batch = try OpCodec.decode(Array(frame.body[header.payloadOffset...])) } catch {
                    throw TransportError(.malformed, "BATCH \(header.number): \(error)")
                }
                let again = BatchHeader.encode(number: header.number, space: header.space, proofs: header.proofs, payload: OpCodec.encode(batch))
                guard let header2 = try? BatchHeader.decode(again) else { return false }
                guard header2.number == header.number, header2.space == header.space, header2.proofs == header.proofs else { return false }
                do { return try OpCodec.decode(Array(again[header2.payloadOffset...])) == batch } catch { return false }
            case .ack, .done:
                let count = frame.type == MessageType.ack.rawValue ? 3 : 2
                let values = try Counts.decode(frame.body, count: count, "counts")
                return (try? Counts.decode(Counts.encode(values), count: count, "counts")) == values
            case .error:
                let error = ErrorMessage.decode(frame.body)
                // A message past 4096 bytes is cut when sent; only shorter ones must come back whole.
                guard error.message.utf8.count <= 4096 else { return true }
                let again = ErrorMessage.decode(ErrorMessage.encode(error))
                return again.code == error.code && again.message == error.message
            case nil:
                throw TransportError(.malformed, "unknown message type \(frame.type)")
            }
        }
    }

}
