import SyncCore

/// A message between two session state machines, with the batch's ops the real driver would
/// carry in the frame body.
enum PipeMessage: Hashable, CustomStringConvertible {
    case hello(Hello)
    case batch(number: UInt64, space: SpaceID, ops: [OpRef])
    case ack(Ack)
    case done(Done)
    case error(SessionError)

    var description: String {
        switch self {
        case .hello: "HELLO"
        case .batch(let number, let space, let ops): "BATCH \(number) \(space) ×\(ops.count)"
        case .ack(let ack): "ACK \(ack.number)"
        case .done(let done): "DONE \(done.batches)/\(done.ops)"
        case .error(let error): "ERROR \(error.code)"
        }
    }
}

/// A fault at a message boundary, the way a bad network or a buggy peer breaks a session.
enum PipeFault: Hashable, CustomStringConvertible {
    case none
    /// The connection breaks before the `n`th message (counting both directions from 1).
    case cut(before: Int)
    /// The `n`th message is delivered twice.
    case duplicate(Int)

    var description: String {
        switch self {
        case .none: "no fault"
        case .cut(let n): "cut before message \(n)"
        case .duplicate(let n): "message \(n) delivered twice"
        }
    }
}

/// One side of a session over the pipe: its machine, its store, and the driver's part (making
/// batches, applying them). Its clock counts half round trips: a message arrives half a round
/// trip after it was sent, and a side that reads waits for it.
struct PipeSide {
    var machine: SyncSessionStateMachine
    var device: MemoryDevice
    let batchOps: Int
    var clock = 0.0
    var outcome: SyncSessionStateMachine.Action?
    private var producer: (kind: Turn.Kind, batches: [(SpaceID, [OpRef])])?
    private var pending: (number: UInt64, space: SpaceID, ops: [OpRef])?
    private var made: (number: UInt64, space: SpaceID, ops: [OpRef])?

    init(_ device: MemoryDevice, role: SyncSessionStateMachine.Role, peer: ReplicaID, batchOps: Int = 3) {
        self.device = device
        self.batchOps = batchOps
        machine = SyncSessionStateMachine(role: role, hello: device.hello(role: role), peerReplica: peer)
    }

    enum Step { case progressed, blocked, over }

    /// Does the machine's next action; `send` puts a message on the wire.
    mutating func step(inbox: inout [(message: PipeMessage, arrives: Double)], closed: Bool, send: (PipeMessage, Double) -> Void) -> Step {
        if outcome != nil { return .over }
        let action = machine.next()
        switch action {
        case .send(let message):
            switch message {
            case .hello(let hello): send(.hello(hello), clock + 0.5)
            case .ack(let ack): send(.ack(ack), clock + 0.5)
            case .done(let done): send(.done(done), clock + 0.5)
            }
        case .produceBatch(let number, let turn):
            if producer?.kind != turn.kind {
                producer = (turn.kind, turn.spaces.flatMap { entry in
                    let ops = device.ops(in: entry.space, above: entry.above)
                    return stride(from: 0, to: ops.count, by: batchOps).map { (entry.space, Array(ops[$0..<min($0 + batchOps, ops.count)])) }
                })
            }
            if producer!.batches.isEmpty {
                machine.turnExhausted()
            } else {
                let (space, ops) = producer!.batches.removeFirst()
                made = (number, space, ops)
                machine.batchReady(number: number, ops: ops.count)
            }
        case .sendBatch(let number):
            let batch = made!
            precondition(batch.number == number)
            send(.batch(number: number, space: batch.space, ops: batch.ops), clock + 0.5)
            made = nil
        case .read:
            guard !inbox.isEmpty else {
                if closed { machine.failed(SessionError(SessionError.Code(rawValue: "connection_lost"), "the connection closed")); return .progressed }
                return .blocked
            }
            let (message, arrives) = inbox.removeFirst()
            clock = max(clock, arrives)
            switch message {
            case .hello(let hello): machine.received(.hello(hello))
            case .batch(let number, let space, let ops):
                pending = (number, space, ops)
                machine.received(.batch(number: number, space: space))
            case .ack(let ack): machine.received(.ack(ack))
            case .done(let done): machine.received(.done(done))
            case .error(let error): machine.failed(error)
            }
        case .apply(let number, let space):
            let batch = pending!
            precondition(batch.number == number && batch.space == space)
            let result = device.apply(batch.ops, in: space)
            machine.batchApplied(number: number, ops: batch.ops.count, applied: result.applied, duplicates: result.duplicates)
            pending = nil
        case .discard(let number, _):
            machine.batchDiscarded(number: number, ops: pending!.ops.count)
            pending = nil
        case .finish:
            if machine.role == .client { device.remembered = machine.serverVectorsAfterSession }
            outcome = action
        case .fail(let error, let notify):
            if notify { send(.error(error), clock + 0.5) }
            outcome = action
        }
        return .progressed
    }
}
