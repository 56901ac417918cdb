@testable import SyncCore

/// A scripted session seen from one side, as `Tests/Fixtures/protocol/sessions/transcripts.json`
/// holds it: the side's role and HELLO, the frames it receives and must send, in order, and how
/// it ends.
///
/// Why scripts are written by hand with their expected sends and outcome, not recorded from the
/// state machine: the generator replays each script through `SyncSessionStateMachine` before it
/// writes the file and stops on any difference, so the file says what Protocol.md 2.4 says, and
/// the machine is held to it, rather than the file saying whatever the machine did.
struct SessionScript {
    /// A frame as the wire carries it.
    enum Message {
        case hello(Hello)
        /// A BATCH holding no op: number, space, zero proofs, an empty op batch (2.5, 1.3).
        case batch(UInt64, SpaceID)
        /// An ACK with `applied` and `duplicates` 0, all an empty batch can get.
        case ack(UInt64)
        case done(batches: UInt64, ops: UInt64)
        case error(SessionError.Code, String)
        /// Bytes no encoder here writes (a frame that does not decode, a header alone), and what
        /// they are.
        case raw([UInt8], String)

        var frame: [UInt8] {
            switch self {
            case .hello(let hello): Frame.encode(.hello, hello.encode())
            case .batch(let number, let space): Frame.encode(.batch, Self.batchBody(number, space))
            case .ack(let number): Frame.encode(.ack, Ack(number: number, applied: 0, duplicates: 0).encode())
            case .done(let batches, let ops): Frame.encode(.done, Done(batches: batches, ops: ops).encode())
            case .error(let code, let message): Frame.encode(.error, ErrorMessage.encode(SessionError(code, message)))
            case .raw(let bytes, _): bytes
            }
        }

        var what: String {
            switch self {
            case .hello(let hello): "HELLO of \(hello.replica.hex.prefix(4))…, versions \(hello.minVersion)-\(hello.maxVersion)"
            case .batch(let number, let space): "BATCH \(number) \(space.name), no ops"
            case .ack(let number): "ACK \(number), applied 0, duplicates 0"
            case .done(let batches, let ops): "DONE batches \(batches), ops \(ops)"
            case .error(let code, _): "ERROR \(code)"
            case .raw(_, let what): what
            }
        }

        static func batchBody(_ number: UInt64, _ space: SpaceID) -> [UInt8] {
            var writer = ByteWriter()
            writer.varint(number)
            writer.string(space.name)
            writer.varint(0)
            writer.raw(OpCodec.encode(OpBatch(ops: [])))
            return writer.bytes
        }
    }

    enum Step {
        case receive(Message)
        /// A BATCH received, and whether the side applies it or sets it aside (2.4 step 4).
        case receiveBatch(UInt64, SpaceID, setAside: Bool)
        case send(Message)
    }

    enum Outcome: Equatable {
        case finish
        case fail(SessionError.Code, errorSent: Bool)
    }

    var name: String
    var sections: [String]
    var description: String
    var role: SyncSessionStateMachine.Role
    /// The replica the peer's certificate key speaks for (2.8).
    var peer: ReplicaID
    /// The side's own HELLO; a server's versions are the range it speaks.
    var hello: Hello
    var steps: [Step]
    var outcome: Outcome

    static func receive(_ message: Message) -> Step { .receive(message) }
    static func send(_ message: Message) -> Step { .send(message) }
    static func apply(_ number: UInt64, _ space: SpaceID = .team) -> Step { .receiveBatch(number, space, setAside: false) }
    static func setAside(_ number: UInt64, _ space: SpaceID = .team) -> Step { .receiveBatch(number, space, setAside: true) }
    static func sendBatch(_ number: UInt64, _ space: SpaceID = .team) -> Step { .send(.batch(number, space)) }
    static func failed(_ code: SessionError.Code, errorSent: Bool = true) -> Outcome { .fail(code, errorSent: errorSent) }

    // MARK: The fixture's form

    var json: FixtureJSON {
        let members: [(String, FixtureJSON)] = [
            ("name", .string(name)), ("sections", FixtureFiles.strings(sections)), ("description", .string(description)),
            ("role", .string(role.rawValue)), ("peer_replica", .string(peer.hex)), ("hello", .string(FixtureHex.string(hello.encode()))),
            ("steps", .array(steps.map(Self.json))), ("outcome", Self.json(outcome)),
        ]
        return .object(members)
    }

    static func json(_ step: Step) -> FixtureJSON {
        switch step {
        case .receive(let message):
            .object([("step", .string("receive")), ("what", .string(message.what)), ("hex", .string(FixtureHex.string(message.frame)))])
        case .receiveBatch(let number, let space, let setAside):
            .object([("step", .string("receive")), ("what", .string(Message.batch(number, space).what)),
                     ("hex", .string(FixtureHex.string(Message.batch(number, space).frame))), ("batch", .string(setAside ? "set_aside" : "apply"))])
        case .send(let message):
            .object([("step", .string("send")), ("what", .string(message.what)), ("hex", .string(FixtureHex.string(message.frame)))])
        }
    }

    static func json(_ outcome: Outcome) -> FixtureJSON {
        switch outcome {
        case .finish: .object([("result", .string("finish"))])
        case .fail(let code, let sent): .object([("result", .string("fail")), ("code", .string(code.rawValue)), ("error_sent", .bool(sent))])
        }
    }
}
