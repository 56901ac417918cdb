/// The rules of one sync session (Protocol.md 2.4), for either role, with no I/O.
///
/// Events go in — a message read, a batch applied, a batch sent, a deadline passed — and the
/// driver asks `next()` what to do: send a message, produce a batch, read, apply, finish or fail.
/// The transport drives it over TLS; tests drive two of them over an in-memory pipe, with faults
/// at message boundaries, so every ordering rule is checked without a socket.
///
/// The session, from the client's side: HELLO and its *opening* turn (the ops above what it
/// remembers the server holding) and DONE, at once; then the server's HELLO, the ACKs, the
/// server's *answer* turn and DONE, in one flight; then, only for spaces the opening did not
/// cover, the client's *closing* turn. Both sides work out from the two HELLOs alone which
/// opening batches count and whether a closing turn follows.
public struct SyncSessionStateMachine: Sendable {
    public enum Role: String, Hashable, Sendable { case client, server }

    /// What the driver does next.
    public enum Action: Hashable, Sendable {
        /// Write this message.
        case send(OutboundMessage)
        /// Make the next batch of `turn` under this number and call `batchReady`; when the turn
        /// holds nothing more, call `turnExhausted` instead. It is sent when the window allows.
        case produceBatch(number: UInt64, turn: Turn)
        /// Write the batch made under this number.
        case sendBatch(number: UInt64)
        /// Read one message and pass it to `received` (or `failed`).
        case read
        /// Check the batch just read against the trust list of this moment, decode, verify and
        /// apply it in one transaction, then call `batchApplied`.
        case apply(number: UInt64, space: SpaceID)
        /// Decode the batch just read to count its ops, apply none, and call `batchDiscarded`.
        case discard(number: UInt64, space: SpaceID)
        /// The session is complete: close.
        case finish
        /// The session failed: send ERROR first when `notifyPeer`, then close.
        case fail(SessionError, notifyPeer: Bool)
    }

    public enum OutboundMessage: Hashable, Sendable {
        case hello(Hello)
        case ack(Ack)
        case done(Done)
    }

    /// A message as the driver read it; for a BATCH, its header only (the driver keeps the body).
    public enum InboundMessage: Hashable, Sendable {
        case hello(Hello)
        case batch(number: UInt64, space: SpaceID)
        case ack(Ack)
        case done(Done)
    }

    /// A deadline the driver watched pass.
    public enum Deadline: Hashable, Sendable {
        /// A read or write waited past the idle limit while the connection still works: the
        /// peer is told `timed_out`.
        case idle
        /// A whole phase (handshake, HELLO, one frame) or the progress deadline: the driver's
        /// thread may be blocked in a read, so the connection is cut without ERROR.
        case phase(String)
    }

    enum Step: Hashable, Sendable {
        case sendHello, receiveHello, send(Turn.Kind), receive(Turn.Kind), drain
    }

    public let role: Role
    /// The batches a sender may have unacknowledged.
    public let window: Int
    let versions: ClosedRange<UInt64>
    /// This side's HELLO as built by the driver; a server's versions are set on negotiation.
    var ownHello: Hello
    /// The replica the peer's certificate key speaks for (2.8).
    let peerReplica: ReplicaID

    var steps: [Step]
    var stepIndex = 0
    public internal(set) var peerHello: Hello?
    public internal(set) var version: UInt64?
    /// Spaces in both HELLOs, in name order.
    public internal(set) var exchanged: [SpaceID] = []
    /// Spaces whose opening batches the server applies.
    var openingCovered: Set<SpaceID> = []
    /// Spaces the client sends in a closing turn; none means no closing turn.
    public internal(set) var closingSpaces: [SpaceID] = []

    var nextNumber: UInt64 = 1
    var inFlight: [(number: UInt64, ops: Int)] = []
    /// A batch made and not yet sent: it waits for room in the window.
    var ready: (number: UInt64, ops: Int)?
    var turnSent = TurnCounts()
    var exhausted = false
    var expectedNumber: UInt64 = 1
    var turnReceived = TurnCounts()
    var awaiting: Action?
    var outbox: [Action] = []
    var terminal: Action?

    /// What this side sent, counted as the peer acknowledges it.
    public internal(set) var sent = TurnCounts()
    /// What this side received and what it made of it.
    public internal(set) var received = TurnCounts()

    /// - Parameters:
    ///   - hello: this side's HELLO (a client's with its version range and, per space, the base it
    ///     remembers; a server's versions are replaced by the one chosen).
    ///   - peerReplica: the replica the peer's certificate key speaks for.
    public init(role: Role, hello: Hello, peerReplica: ReplicaID,
                versions: ClosedRange<UInt64> = SyncProtocol.minVersion...SyncProtocol.maxVersion,
                window: Int = SyncProtocol.batchWindow) {
        self.role = role
        self.ownHello = hello
        self.peerReplica = peerReplica
        self.versions = versions
        self.window = max(1, window)
        switch role {
        case .client:
            ownHello.minVersion = versions.lowerBound
            ownHello.maxVersion = versions.upperBound
            steps = [.sendHello, .send(.opening), .receive(.answer), .send(.closing), .drain]
        case .server:
            for index in ownHello.spaces.indices { ownHello.spaces[index].base = nil }
            steps = [.receiveHello, .sendHello, .receive(.opening), .send(.answer), .receive(.closing), .drain]
        }
    }

    /// True once both HELLOs are known.
    public var isPastHello: Bool { peerHello != nil }
    /// True once the session finished or failed.
    public var isOver: Bool { terminal != nil }

    var step: Step? { stepIndex < steps.count ? steps[stepIndex] : nil }

    /// What the driver does now. Asked again after every event; it never changes state itself
    /// except to move past steps that need nothing from the driver.
    public mutating func next() -> Action {
        if let terminal { return terminal }
        if let awaiting { return awaiting }
        if !outbox.isEmpty { return outbox.removeFirst() }
        guard let step else { return end(.finish) }
        switch step {
        case .sendHello:
            stepIndex += 1
            return .send(.hello(ownHello))
        case .send(.closing) where closingSpaces.isEmpty, .receive(.closing) where closingSpaces.isEmpty:
            stepIndex += 1
            return next()
        case .receiveHello, .receive:
            return .read
        case .send(let kind):
            if let ready {
                // Made before the window had room, so a turn's end is known, and DONE sent, the
                // moment its last batch leaves — never an ACK later.
                guard inFlight.count < window else { return .read }
                self.ready = nil
                inFlight.append(ready)
                nextNumber += 1
                turnSent.batches += 1
                turnSent.ops += ready.ops
                return .sendBatch(number: ready.number)
            }
            if exhausted {
                let done = Done(batches: UInt64(turnSent.batches), ops: UInt64(turnSent.ops))
                turnSent = TurnCounts()
                exhausted = false
                stepIndex += 1
                return .send(.done(done))
            }
            return .produceBatch(number: nextNumber, turn: turn(kind))
        case .drain:
            if inFlight.isEmpty {
                stepIndex += 1
                return next()
            }
            return .read
        }
    }

    /// The driver made batch `number` of the current turn, holding `ops` ops.
    public mutating func batchReady(number: UInt64, ops: Int) {
        precondition(number == nextNumber && ready == nil, "batch \(number) made where \(nextNumber) was asked for")
        ready = (number, ops)
    }

    /// The current turn holds nothing more to send: DONE follows.
    public mutating func turnExhausted() { exhausted = true }

    /// The session failed here (a store error, a lost connection, a refusal found by the driver)
    /// or the peer said so in ERROR (`fromPeer`).
    public mutating func failed(_ error: SessionError) {
        guard terminal == nil else { return }
        terminal = .fail(error, notifyPeer: !error.fromPeer && SessionError.Code.reported.contains(error.code))
    }

    public mutating func deadlinePassed(_ deadline: Deadline) {
        guard terminal == nil else { return }
        switch deadline {
        case .idle: failed(SessionError(.timedOut, "the peer sent nothing within the idle limit"))
        case .phase(let what): terminal = .fail(SessionError(.timedOut, what), notifyPeer: false)
        }
    }

    mutating func end(_ action: Action) -> Action {
        terminal = action
        return action
    }
}
