extension SyncSessionStateMachine {
    /// A message the driver read.
    public mutating func received(_ message: InboundMessage) {
        guard terminal == nil else { return }
        guard awaiting == nil else {
            return failed(SessionError(.internal, "a message was read before the batch before it was applied"))
        }
        switch message {
        case .hello(let hello): receivedHello(hello)
        case .ack(let ack): receivedAck(ack)
        case .batch(let number, let space): receivedBatch(number, space)
        case .done(let done): receivedDone(done)
        }
    }

    /// The batch `apply` named is applied: `applied` ops were new, `duplicates` held already.
    public mutating func batchApplied(number: UInt64, ops: Int, applied: Int, duplicates: Int) {
        settle(number, ops: ops, ack: Ack(number: number, applied: UInt64(applied), duplicates: UInt64(duplicates)))
        received.applied += applied
    }

    /// The batch `discard` named was read, holding `ops` ops, and set aside.
    public mutating func batchDiscarded(number: UInt64, ops: Int) {
        settle(number, ops: ops, ack: Ack(number: number, applied: 0, duplicates: 0))
        received.discarded += 1
    }

    private mutating func settle(_ number: UInt64, ops: Int, ack: Ack) {
        switch awaiting {
        case .apply(number, _), .discard(number, _): break
        default: preconditionFailure("batch \(number) settled, but \(String(describing: awaiting)) was awaited")
        }
        awaiting = nil
        expectedNumber += 1
        turnReceived.batches += 1
        turnReceived.ops += ops
        received.batches += 1
        received.ops += ops
        outbox.append(.send(.ack(ack)))
    }

    private mutating func receivedAck(_ ack: Ack) {
        guard peerHello != nil, let oldest = inFlight.first else {
            return failed(SessionError(.unexpectedMessage, "received ACK where no batch awaited one"))
        }
        guard ack.number == oldest.number else {
            return failed(SessionError(.malformed, "ACK for batch \(ack.number) where batch \(oldest.number) was awaited"))
        }
        inFlight.removeFirst()
        sent.batches += 1
        sent.ops += oldest.ops
        sent.applied += Int(clamping: ack.applied)
    }

    private mutating func receivedBatch(_ number: UInt64, _ space: SpaceID) {
        guard case .receive(let kind) = step, let peerHello else {
            return failed(SessionError(.unexpectedMessage, "received BATCH out of turn"))
        }
        guard number == expectedNumber else {
            return failed(SessionError(.malformed, "BATCH \(number) where \(expectedNumber) was expected"))
        }
        if kind == .opening {
            guard peerHello.space(space)?.base != nil else {
                return failed(SessionError(.malformed, "an opening BATCH for \(space), which the client's HELLO gave no base"))
            }
            // The client could not know what the server grants or holds now: a batch its memory
            // got wrong is read and set aside, and the closing turn sends what is missing.
            awaiting = openingCovered.contains(space) ? .apply(number: number, space: space) : .discard(number: number, space: space)
            return
        }
        guard exchanged.contains(space) else {
            return failed(SessionError(.spaceNotGranted, "the space \(space) is not exchanged in this session"))
        }
        guard ownHello.space(space)?.accepts == true else {
            return failed(SessionError(.readOnly, "the space \(space) is read-only for the peer; its ops are refused"))
        }
        awaiting = .apply(number: number, space: space)
    }

    private mutating func receivedDone(_ done: Done) {
        guard case .receive = step, peerHello != nil else {
            return failed(SessionError(.unexpectedMessage, "received DONE out of turn"))
        }
        // The peer acknowledges every batch of this side's turn before its own turn ends.
        guard inFlight.isEmpty else {
            return failed(SessionError(.unexpectedMessage, "received DONE before the ACK of batch \(inFlight[0].number)"))
        }
        guard done.batches == UInt64(turnReceived.batches), done.ops == UInt64(turnReceived.ops) else {
            return failed(SessionError(.malformed, "DONE counts \(done.batches) batches and \(done.ops) ops; \(turnReceived.batches) and \(turnReceived.ops) arrived"))
        }
        turnReceived = TurnCounts()
        stepIndex += 1
    }
}
