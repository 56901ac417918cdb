import Storage
import SyncCore

extension SyncSession {
    /// Does what the state machine asks until it finishes or fails; every error found on the way
    /// goes through the machine, which decides whether the peer is told.
    func drive(_ start: SessionContext) throws(TransportError) -> SyncSummary {
        var context = start
        var producer: TurnProducer? = nil
        var batch: (header: BatchHeader, body: [UInt8], decoding: BackgroundResult<[Op]>?)? = nil
        var ahead: ReadAhead? = nil
        var prepared: (body: [UInt8], ops: Int, space: SpaceID)? = nil
        let verifier = ChainVerifier(store: store)
        while true {
            let action = context.machine.next()
            do throws(TransportError) {
                switch action {
                case .send(let message):
                    try send(message, &context)
                case .produceBatch(let number, let turn):
                    if producer?.kind != turn.kind {
                        let frameLimit = min(Int(clamping: context.machine.peerHello?.maxFrameBytes ?? UInt64(SyncProtocol.minFrameBytes)),
                                             SyncProtocol.maxFrameBytes)
                        producer = TurnProducer(turn: turn, store: store, identity: identity, trust: trust, peer: context.device,
                                                frameLimit: frameLimit, limits: limits, ownVectors: context.ownVectors,
                                                ownHeads: context.ownHeads, stopping: stopping)
                    }
                    if let next = try producer!.next(number: number) {
                        prepared = next
                        context.machine.batchReady(number: number, ops: next.ops)
                    } else {
                        context.machine.turnExhausted()
                    }
                case .sendBatch:
                    guard let next = prepared else { preconditionFailure("no batch was made") }
                    prepared = nil
                    try writeFrame(.batch, next.body)
                    context.unacknowledged.append(next.space)
                case .read:
                    batch = try readMessage(&context, &ahead)
                case .apply(let number, _):
                    guard let (header, body, decoding) = batch, header.number == number else { preconditionFailure("no batch \(number) was read") }
                    if ahead == nil { ahead = readAheadIfArriving() }
                    let outcome = try apply(header, body, decoding, &context, verifier)
                    context.machine.batchApplied(number: number, ops: outcome.ops, applied: outcome.applied, duplicates: outcome.duplicates)
                    if outcome.applied > 0 { markProgress() }
                    progress?(SyncProgress(direction: .receiving, space: header.space, ops: context.machine.received.ops, bytes: stream.bytesRead))
                    if stopping() { throw TransportError(.shuttingDown, "the server is shutting down") }
                case .discard(let number, _):
                    guard let (header, body, decoding) = batch, header.number == number else { preconditionFailure("no batch \(number) was read") }
                    context.machine.batchDiscarded(number: number, ops: try Self.ops(header, body, decoding).count)
                case .finish:
                    try flush()
                    if !isServer {
                        let vectors = context.machine.serverVectorsAfterSession
                        try storeCall { () throws(StoreError) in try store.rememberPeerVectors(vectors, device: context.device.description) }
                    }
                    return summary(context)
                case .fail(let error, let notify):
                    peerIsTold = notify
                    throw error
                }
            } catch {
                if case .fail = action { throw error }
                // A watchdog cut the connection: whatever the read or write said, the deadline
                // is what happened, and the peer is not told (this thread may have been blocked).
                if let expired = watchdog.expired ?? progressWatchdog.expired {
                    context.machine.deadlinePassed(.phase(expired.name))
                } else {
                    context.machine.failed(error)
                }
            }
        }
    }

    private func send(_ message: SyncSessionStateMachine.OutboundMessage, _ context: inout SessionContext) throws(TransportError) {
        switch message {
        case .hello(let hello):
            try writeFrame(.hello, hello.encode())
            // A server's HELLO follows the client's: the exchange is complete.
            if isServer { helloExchanged() }
        case .ack(let ack):
            try writeFrame(.ack, ack.encode())
        case .done(let done):
            try writeFrame(.done, done.encode())
            markProgress()
        }
    }

    /// Reads one message (the one read ahead, if any) and hands it to the machine; returns a
    /// BATCH's header and body, and its ops' decoding if it was read ahead, which the machine's
    /// next action applies or discards.
    private func readMessage(
        _ context: inout SessionContext, _ ahead: inout ReadAhead?
    ) throws(TransportError) -> (BatchHeader, [UInt8], BackgroundResult<[Op]>?)? {
        let before = context.machine.sent.batches
        let awaitingHello = !context.machine.isPastHello
        if awaitingHello { watchdog.arm("the HELLO exchange", limits.helloTimeout) }
        let (frame, decoding) = try nextFrame(&ahead)
        if awaitingHello { watchdog.disarm() }
        var batch: (BatchHeader, [UInt8], BackgroundResult<[Op]>?)? = nil
        let message: SyncSessionStateMachine.InboundMessage
        do throws(SessionError) {
            switch MessageType(rawValue: frame.type) {
            case .hello: message = .hello(try Hello.decode(frame.body))
            case .batch:
                let header = try BatchHeader.decode(frame.body)
                batch = (header, frame.body, decoding)
                message = .batch(number: header.number, space: header.space)
            case .ack: message = .ack(try Ack.decode(frame.body))
            case .done: message = .done(try Done.decode(frame.body))
            case .error, nil:
                throw SessionError(.malformed, "received \(MessageType.name(of: frame.type)), a type this protocol does not have")
            }
        } catch {
            throw error
        }
        context.machine.received(message)
        switch message {
        case .hello(let hello) where context.machine.isPastHello:
            try context.learnFromHello(hello, store: store, trust: trust)
            if !isServer { helloExchanged() }
        case .ack where context.machine.sent.batches > before:
            markProgress()
            let space = context.unacknowledged.removeFirst()
            progress?(SyncProgress(direction: .sending, space: space, ops: context.machine.sent.ops, bytes: stream.bytesWritten))
        case .done where !context.machine.isOver:
            markProgress()
        default: break
        }
        return batch
    }

    private func summary(_ context: SessionContext) -> SyncSummary {
        let machine = context.machine
        var summary = SyncSummary(peer: context.device, peerName: context.peer.name, peerReplica: machine.peerHello!.replica,
                                  version: machine.version!, spaces: machine.exchanged,
                                  offered: context.ownVectors.keys.sorted(), peerOffered: machine.peerHello!.spaces.map(\.space).sorted())
        summary.sent.ops = machine.sent.ops
        summary.sent.batches = machine.sent.batches
        summary.sent.applied = machine.sent.applied
        summary.received.ops = machine.received.ops
        summary.received.batches = machine.received.batches
        summary.received.applied = machine.received.applied
        summary.record(context.merged)
        summary.faulty = context.faulty
        return summary
    }
}
