import Storage
import SyncCore
@testable import Transport

/// A trusted device that speaks the protocol by hand, frame by frame, to send what a
/// well-behaved device never would (ops for a space it was granted read-only, a version it does
/// not speak) — the hostile side of a session, kept in the tests rather than as switches in the
/// session itself.
struct ScriptedClient {
    let device: Device
    let stream: TLSStream

    init(_ device: Device, port: UInt16) throws {
        self.device = device
        stream = try SyncClient.connect(identity: device.identity, trust: device.trust, host: "127.0.0.1", port: port, limits: .default)
        stream.setTimeouts(.seconds(5))
        try stream.handshake()
    }

    func send(_ type: MessageType, _ body: [UInt8]) throws { try stream.write(Frame.encode(type, body)) }

    func read() throws -> (type: UInt8, body: [UInt8]) { try readRawFrame(stream) }

    /// A HELLO offering `spaces` read-write, with this device's vectors and no bases.
    func hello(_ spaces: [SpaceID], versions: ClosedRange<UInt64> = SyncProtocol.minVersion...SyncProtocol.maxVersion) throws -> Hello {
        let entries = try spaces.sorted().map { space in
            HelloSpace(space: space, accepts: true, vector: try device.store.versionVector(space))
        }
        return Hello(minVersion: versions.lowerBound, maxVersion: versions.upperBound, replica: device.store.replica,
                     maxFrameBytes: UInt64(SyncProtocol.maxFrameBytes), spaces: entries)
    }

    /// Reads the server's HELLO and its answer turn, acknowledging each batch as applied, up to
    /// its DONE; returns the server's HELLO.
    func takeAnswer() throws -> Hello {
        let (type, body) = try read()
        guard type == MessageType.hello.rawValue else { throw ErrorMessage.decode(body) }
        let hello = try Hello.decode(body)
        while true {
            let (type, body) = try read()
            switch MessageType(rawValue: type) {
            case .batch:
                let header = try BatchHeader.decode(body)
                try send(.ack, Ack(number: header.number, applied: 0, duplicates: 0).encode())
            case .done: return hello
            default: throw ErrorMessage.decode(body)
            }
        }
    }

    /// BATCH `number` holding every op this device holds in `space`, proved by their authors.
    func provedBatch(number: UInt64, space: SpaceID) throws -> [UInt8] {
        let prover = ChainProver(store: device.store, identity: device.identity)
        try prover.signOwnOps(in: space)
        let ops = try device.store.ops(in: space, above: VersionVector(), after: nil, limit: 10_000).ops
        let proved = try prover.prove(ops, space: space)
        return BatchHeader.encode(number: number, space: space, proofs: proved.proofs, payload: OpCodec.encode(OpBatch(ops: proved.ops)))
    }

    /// Opens a session offering `spaces`, takes the server's answer, then sends in the closing
    /// turn every op this device holds in `space`; returns the code of the ERROR that answers.
    static func refusalOfClosingBatch(_ device: Device, port: UInt16, offering spaces: [SpaceID], sending space: SpaceID) throws -> SessionError.Code? {
        let hostile = try ScriptedClient(device, port: port)
        try hostile.send(.hello, try hostile.hello(spaces).encode())
        try hostile.send(.done, Done(batches: 0, ops: 0).encode())
        _ = try hostile.takeAnswer()
        try hostile.send(.batch, try hostile.provedBatch(number: 1, space: space))
        let (type, body) = try hostile.read()
        return type == MessageType.error.rawValue ? ErrorMessage.decode(body).code : nil
    }
}
