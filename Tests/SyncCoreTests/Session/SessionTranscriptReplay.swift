@testable import SyncCore

/// Replays one transcript of `sessions/transcripts.json`, as the file holds it (hex and all),
/// through `SyncSessionStateMachine`, with the least driver that can: what the README tells
/// another implementation to do.
///
/// Why from the file and not from the Swift script: the file is the contract, so the check reads
/// exactly what another implementation reads. The driver does, for each action of the machine:
/// - send: the frame must be the next step, a `send` of exactly those bytes;
/// - produce a batch: if the next step is a `send` of a BATCH, that is the batch (its number
///   must be the one asked for, its space one of the turn's); otherwise the turn is exhausted;
/// - read: the next step must be a `receive`; its frame is checked against this side's frame
///   limit, decoded, and handed over (a frame that does not decode fails the session `malformed`,
///   an ERROR fails it as the peer's);
/// - apply, discard: the batch's ops are decoded and counted (there are none), nothing is new.
/// It ends at finish or fail, with every step used.
struct SessionTranscriptReplay {
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Step {
        var receive: Bool
        var frame: [UInt8]
        /// For a BATCH received: "apply" or "set_aside".
        var batch: String?
    }

    typealias Machine = SyncSessionStateMachine
    typealias Outcome = SessionScript.Outcome

    var machine: Machine
    let steps: [Step]
    let frameLimit: Int
    var index = 0
    var pending: (number: UInt64, space: SpaceID, ops: [UInt8])?

    init(_ json: FixtureJSON) throws {
        let hello = try Hello.decode(try ProtocolConformanceTests.bytes(json["hello"], "hello"))
        guard let role = Machine.Role(rawValue: try FixtureOps.string(json["role"], "role")), hello.minVersion <= hello.maxVersion,
              let steps = json["steps"]?.arrayValue else { throw FixtureOps.Invalid("a transcript's role, versions or steps") }
        machine = Machine(role: role, hello: hello, peerReplica: try FixtureOps.replica(json["peer_replica"]),
                          versions: hello.minVersion...hello.maxVersion)
        frameLimit = Int(min(hello.maxFrameBytes, UInt64(SyncProtocol.maxFrameBytes)))
        self.steps = try steps.map { step in
            let kind = try FixtureOps.string(step["step"], "step")
            guard kind == "receive" || kind == "send" else { throw FixtureOps.Invalid("step \(kind)") }
            return Step(receive: kind == "receive", frame: try ProtocolConformanceTests.bytes(step["hex"], "step"), batch: step["batch"]?.stringValue)
        }
    }

    static func outcome(_ json: FixtureJSON?) throws -> Outcome {
        switch try FixtureOps.string(json?["result"], "result") {
        case "finish": return .finish
        case "fail":
            return .fail(SessionError.Code(rawValue: try FixtureOps.string(json?["code"], "code")), errorSent: try FixtureOps.bool(json?["error_sent"], "error_sent"))
        case let other: throw FixtureOps.Invalid("outcome \(other)")
        }
    }

    /// Runs the transcript to its end; throws `Mismatch` where the machine does something else.
    mutating func run() throws -> Outcome {
        while true {
            switch machine.next() {
            case .send(let message):
                try expectSend(Self.frame(message), "\(message)")
            case .produceBatch(let number, let turn):
                // Made ahead of sending (the window may be full): the turn goes on if the
                // transcript's next send is a BATCH.
                guard let step = steps[index...].first(where: { !$0.receive }), step.frame.count > 4,
                      step.frame[4] == MessageType.batch.rawValue else {
                    machine.turnExhausted()
                    continue
                }
                let header = try Self.batchHeader(Array(step.frame.dropFirst(5)))
                guard header.number == number, turn.spaces.contains(where: { $0.space == header.space }) else {
                    throw Mismatch("step \(index): the side is asked for batch \(number) of \(turn.spaces.map(\.space)), the transcript sends \(header.number) of \(header.space)")
                }
                machine.batchReady(number: number, ops: try OpCodec.decode(header.ops).ops.count)
            case .sendBatch(let number):
                guard let step = next, !step.receive, step.frame.count > 4, step.frame[4] == MessageType.batch.rawValue,
                      try Self.batchHeader(Array(step.frame.dropFirst(5))).number == number else {
                    throw Mismatch("step \(index): the side sends batch \(number) where the transcript has another step")
                }
                index += 1
            case .read:
                guard let step = next, step.receive else { throw Mismatch("step \(index): the side reads where the transcript has \(next == nil ? "no step left" : "a send")") }
                index += 1
                try deliver(step)
                if let expected = step.batch, !Self.decided(machine.next(), expected) {
                    throw Mismatch("step \(index - 1): the side does not \(expected) the batch: \(machine.next())")
                }
            case .apply(let number, let space):
                try settle(number, space, setAside: false)
            case .discard(let number, let space):
                try settle(number, space, setAside: true)
            case .finish:
                try expectEnd()
                return .finish
            case .fail(let error, let notify):
                try expectEnd()
                return .fail(error.code, errorSent: notify)
            }
        }
    }

    var next: Step? { index < steps.count ? steps[index] : nil }

    mutating func expectSend(_ frame: [UInt8], _ what: String) throws {
        guard let step = next, !step.receive, step.frame == frame else {
            throw Mismatch("step \(index): the side sends \(what) (\(FixtureHex.string(frame))) where the transcript has \(next.map { FixtureHex.string($0.frame) } ?? "no step left")")
        }
        index += 1
    }

    func expectEnd() throws {
        guard index == steps.count else { throw Mismatch("the session ended at step \(index) of \(steps.count)") }
    }

    /// The batch just read: its ops decoded and counted (none), nothing new to the side.
    mutating func settle(_ number: UInt64, _ space: SpaceID, setAside: Bool) throws {
        guard let batch = pending, batch.number == number, batch.space == space else { throw Mismatch("no batch \(number) was read") }
        pending = nil
        let ops: [Op]
        do { ops = try OpCodec.decode(batch.ops).ops } catch {
            return machine.failed(SessionError(.malformed, "BATCH \(number): \(error)"))
        }
        guard ops.isEmpty else { throw Mismatch("batch \(number) holds ops; transcripts hold none") }
        if setAside {
            machine.batchDiscarded(number: number, ops: 0)
        } else {
            machine.batchApplied(number: number, ops: 0, applied: 0, duplicates: 0)
        }
    }

    /// Decodes a received frame as the transport does and hands it to the machine: the length
    /// is checked against this side's limit before anything else (2.3).
    mutating func deliver(_ step: Step) throws {
        let declared = step.frame.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard step.frame.count >= 4, step.frame.count == 4 || step.frame.count == 4 + declared else {
            throw Mismatch("step \(index - 1): the frame is not \(declared) bytes long")
        }
        do {
            _ = try Frame.bodyLength(Array(step.frame.prefix(4)), limit: frameLimit)
            guard step.frame.count > 4 else { throw Mismatch("step \(index - 1): a frame header alone, which the side would read on") }
            let body = Array(step.frame.dropFirst(5))
            switch MessageType(rawValue: step.frame[4]) {
            case .hello: machine.received(.hello(try Hello.decode(body)))
            case .batch:
                let header = try Self.batchHeader(body)
                pending = header
                machine.received(.batch(number: header.number, space: header.space))
            case .ack: machine.received(.ack(try Ack.decode(body)))
            case .done: machine.received(.done(try Done.decode(body)))
            case .error: machine.failed(ErrorMessage.decode(body))
            case nil: throw SessionError(.malformed, "received \(MessageType.name(of: step.frame[4])), a type this protocol does not have")
            }
        } catch let error as SessionError {
            machine.failed(error)
        }
    }

    /// Whether the machine's action after a BATCH is the `apply` or `set_aside` the step names.
    static func decided(_ action: Machine.Action, _ expected: String) -> Bool {
        switch action {
        case .apply: expected == "apply"
        case .discard: expected == "set_aside"
        default: false
        }
    }

    /// A BATCH body: number, space, proofs (none in a transcript), then the op batch.
    static func batchHeader(_ body: [UInt8]) throws -> (number: UInt64, space: SpaceID, ops: [UInt8]) {
        var reader = ByteReader(body)
        let header: (UInt64, SpaceID, UInt64)
        do {
            header = (try reader.varint(), try SpaceID(try reader.string()), try reader.varint())
        } catch {
            throw SessionError(.malformed, "BATCH header: \(error)")
        }
        guard header.2 == 0 else { throw Mismatch("a transcript's BATCH carries proofs") }
        return (header.0, header.1, Array(body[reader.offset...]))
    }

    static func frame(_ message: Machine.OutboundMessage) -> [UInt8] {
        switch message {
        case .hello(let hello): Frame.encode(.hello, hello.encode())
        case .ack(let ack): Frame.encode(.ack, ack.encode())
        case .done(let done): Frame.encode(.done, done.encode())
        }
    }
}
