import Foundation
import Sealing
import Storage
import SyncCore

/// One sync session over an authenticated TLS stream, for either role (Protocol.md 2.4).
///
/// The client speaks first: HELLO, then its batches (each acknowledged), then DONE; the server
/// answers HELLO, applies and acknowledges, then sends its own batches and DONE.
///
/// Sendable: a server creates the session on its accept thread and hands it to the session's own
/// thread, the only one that runs it; other threads touch only `stream` (whose `cut()` is safe
/// from any thread) and `isPastHello` (read under `phaseLock`).
final class SyncSession: @unchecked Sendable {
    let stream: TLSStream
    let store: Store
    let identity: DeviceIdentity
    let trust: TrustList
    let limits: SyncLimits
    let isServer: Bool
    let requestedSpaces: Set<SpaceID>?
    let faults: FaultInjection
    let progress: (@Sendable (SyncProgress) -> Void)?
    /// Polled between batches: true when the server is stopping.
    let stopping: @Sendable () -> Bool
    /// A server's admission, called once the peer is authenticated and before its HELLO is
    /// read: returns once the session holds a slot, or throws (`busy`, `shutting_down`).
    let admit: (@Sendable (SyncSession) throws(TransportError) -> Void)?

    /// Total deadlines for the handshake, the wait for HELLO, and each frame after it.
    private let watchdog: Watchdog
    /// The deadline for reading one whole frame, once HELLOs are exchanged (nil before: the
    /// HELLO deadline covers that phase).
    private var frameDeadline: Duration? = nil
    private let phaseLock = NSLock()
    private var pastHello = false
    /// Cuts a session that goes `limits.progressTimeout` without progress, or at once when a
    /// server needs its slot (`cutOff`).
    private let progressWatchdog: Watchdog
    /// Progress and time spent waiting on the peer, for a server choosing who yields a slot.
    let progressClock = ProgressClock()

    private var peer: Peer!
    private var summary: SyncSummary!
    private var exchanged: [SpaceID] = []
    private var peerHello: Hello!
    /// This store's vectors as its HELLO gave them: what it held when the session began.
    private var ownVectors: [SpaceID: VersionVector] = [:]
    /// The chain values this side's HELLO announced, by space.
    private var ownHeads: [SpaceID: [ReplicaID: [UInt8]]] = [:]
    private var cut = false

    init(stream: TLSStream, store: Store, identity: DeviceIdentity, trust: TrustList, limits: SyncLimits, isServer: Bool,
         requestedSpaces: Set<SpaceID>? = nil, faults: FaultInjection = FaultInjection(),
         progress: (@Sendable (SyncProgress) -> Void)? = nil, stopping: @escaping @Sendable () -> Bool = { false },
         admit: (@Sendable (SyncSession) throws(TransportError) -> Void)? = nil) {
        self.stream = stream
        self.store = store
        self.identity = identity
        self.trust = trust
        self.limits = limits
        self.isServer = isServer
        self.requestedSpaces = requestedSpaces
        self.faults = faults
        self.progress = progress
        self.stopping = stopping
        self.admit = admit
        self.watchdog = Watchdog(stream: stream)
        self.progressWatchdog = Watchdog(stream: stream)
    }

    /// True once HELLOs are exchanged: from then on the session may be applying a batch, so a
    /// stopping server lets it reach a batch boundary instead of cutting it at once. Any thread.
    var isPastHello: Bool { phaseLock.lock(); defer { phaseLock.unlock() }; return pastHello }

    /// Progress is: admitted, HELLOs exchanged, ops new to a side, a batch acknowledged, a DONE.
    /// Empty batches and duplicates are not.
    private func markProgress() {
        progressClock.progressed()
        progressWatchdog.arm("made no progress for \(limits.progressTimeout.milliseconds) ms", limits.progressTimeout)
    }

    /// Ends the session now, from any thread: `run()` then fails with `timed_out` saying `why`.
    func cutOff(_ why: String) { progressWatchdog.expire(why) }

    /// Runs the whole session and closes the stream. On a local protocol error, tells the peer
    /// with ERROR before closing.
    func run() throws(TransportError) -> SyncSummary {
        let start = ContinuousClock.now
        defer { stream.close() }
        defer { watchdog.disarm(); progressWatchdog.disarm() }
        do {
            // Each read is bounded by the socket timeout, and each phase as a whole by the watchdog,
            // so a peer that trickles bytes cannot hold the session past the phase's deadline.
            watchdog.arm("the TLS handshake", limits.handshakeTimeout)
            stream.setTimeouts(limits.handshakeTimeout)
            try stream.handshake()
            watchdog.disarm()
            try admit?(self)
            markProgress()
            watchdog.arm("the HELLO exchange", limits.helloTimeout)
            stream.setTimeouts(limits.helloTimeout)
            try exchangeHellos()
            watchdog.disarm()
            markProgress()
            phaseLock.lock(); pastHello = true; phaseLock.unlock()
            frameDeadline = limits.idleTimeout
            stream.setTimeouts(limits.idleTimeout)
            if isServer {
                try receivePhase()
                try sendPhase()
            } else {
                try sendPhase()
                try receivePhase()
            }
        } catch {
            if let stalled = progressWatchdog.expired {
                throw TransportError(.timedOut, "\(stream.peerAddress) \(stalled.name)")
            }
            if let expired = watchdog.expired {
                throw TransportError(.timedOut, "\(expired.name) with \(stream.peerAddress) did not finish within \(expired.limit.milliseconds) ms")
            }
            if !error.fromPeer && !cut && SyncSession.reportedCodes.contains(error.code) {
                try? writeFrame(.error, ErrorMessage.encode(error))
                if error.code != .timedOut { lingerAfterError(error) }
            }
            throw error
        }
        summary.duration = ContinuousClock.now - start
        summary.sent.bytes = stream.bytesWritten
        summary.received.bytes = stream.bytesRead
        return summary
    }

    /// Errors found here that the peer is told about in an ERROR message.
    static let reportedCodes: Set<TransportError.Code> = [
        .versionMismatch, .notTrusted, .spaceNotGranted, .readOnly, .frameTooLarge, .malformed,
        .unexpectedMessage, .clockSkew, .selfConnection, .shuttingDown, .internal, .timedOut, .busy, .forged,
    ]

    // MARK: HELLO

    private func ownHello(version: (UInt64, UInt64)) throws(TransportError) -> Hello {
        var spaces: [HelloSpace] = []
        var grants = peer.spaces
        for extra in faults.extraSpaces { grants[extra] = .readWrite }
        let signer = ChainProver(store: store, identity: identity)
        for (space, access) in grants.sorted(by: { $0.key < $1.key }) {
            if let requestedSpaces, !requestedSpaces.contains(space) { continue }
            // Signed first, so the HELLO can say where this device's own chain stands.
            try signer.signOwnOps(in: space)
            let vector = try storeCall { () throws(StoreError) in try store.versionVector(space) }
            let heads = try storeCall { () throws(StoreError) in try store.chainValues(in: space, at: vector) }
            ownVectors[space] = vector
            ownHeads[space] = heads
            spaces.append(HelloSpace(space: space, accepts: access == .readWrite, vector: vector, heads: heads))
        }
        // Only to a device this one marks as the same person's: the secret links the person's
        // evidence across months for whoever holds it.
        let person = peer.isMine ? try storeCall { () throws(StoreError) in try store.personSecret() } : nil
        // Not to a rep: how many reps a member knows would help tell the member's records apart.
        let reps = peer.isRep ? [] : try trust.peers().filter(\.isRep).compactMap(\.publicKey).prefix(Hello.maximumReps)
        return Hello(minVersion: version.0, maxVersion: version.1, replica: store.replica,
                     maxFrameBytes: UInt64(max(SyncProtocol.minFrameBytes, min(limits.maxFrameBytes, SyncProtocol.maxFrameBytes))),
                     spaces: spaces, person: person, reps: Array(reps))
    }

    private func exchangeHellos() throws(TransportError) {
        guard let device = stream.peerID, device != identity.id else {
            throw TransportError(.selfConnection, "refusing a connection to this device itself")
        }
        guard let trusted = try trust.peer(device) else {
            throw TransportError(.notTrusted, "\(device) is not in the trust list")
        }
        peer = trusted
        if let key = stream.peerPublicKey { try trust.learnKey(key, of: device) }
        let version: UInt64
        if isServer {
            let theirs = try expectHello()
            let low = max(theirs.minVersion, SyncProtocol.minVersion)
            let high = min(theirs.maxVersion, SyncProtocol.maxVersion)
            guard low <= high else {
                throw TransportError(.versionMismatch, "the peer speaks protocol versions \(theirs.minVersion)–\(theirs.maxVersion); this device speaks \(SyncProtocol.minVersion)–\(SyncProtocol.maxVersion)")
            }
            version = high
            try checkPeerHello(theirs)
            try writeFrame(.hello, try ownHello(version: (version, version)).encode())
        } else {
            let theirs: Hello
            do {
                try writeFrame(.hello, try ownHello(version: (SyncProtocol.minVersion, faults.maxVersion ?? SyncProtocol.maxVersion)).encode())
                theirs = try expectHello()
            } catch where error.code == .connectionLost && !cut {
                // In TLS 1.3 the server checks the client's certificate after the client has
                // finished its side of the handshake: a refusal shows up here, as an alert or a
                // reset that may overtake it.
                throw TransportError(.handshakeFailed, "the server ended the connection before answering HELLO; it may not trust this device (\(identity.id)): \(error.message)")
            }
            guard theirs.minVersion == theirs.maxVersion,
                  (SyncProtocol.minVersion...SyncProtocol.maxVersion).contains(theirs.minVersion) else {
                throw TransportError(.versionMismatch, "the server chose protocol version \(theirs.minVersion)–\(theirs.maxVersion); this device speaks \(SyncProtocol.minVersion)–\(SyncProtocol.maxVersion)")
            }
            version = theirs.minVersion
            try checkPeerHello(theirs)
        }
        let mine = Set(peer.spaces.keys).union(faults.extraSpaces).filter { requestedSpaces?.contains($0) ?? true }
        exchanged = peerHello.spaces.map(\.space).filter { mine.contains($0) }.sorted()
        summary = SyncSummary(peer: device, peerName: peer.name, peerReplica: peerHello.replica, version: version, spaces: exchanged,
                              offered: mine.sorted(), peerOffered: peerHello.spaces.map(\.space).sorted())
        try storeCall { () throws(StoreError) in try store.rememberPeerReplica(peerHello.replica, device: device.description) }
        // One person's devices settle on one secret, so they count as one reporter; a device not
        // marked as this person's is not listened to.
        if peer.isMine, let person = peerHello.person {
            try storeCall { () throws(StoreError) in try store.adoptPersonSecret(person) }
        }
        // Kept only for devices in this trust list, and only when the key hashes to their id.
        for key in peerHello.reps {
            if let rep = DeviceID(sha256: Digests.sha256(key)) { try trust.learnKey(key, of: rep) }
        }
    }

    private func expectHello() throws(TransportError) -> Hello {
        let frame = try readFrame()
        guard frame.type == MessageType.hello.rawValue else { throw unexpected(frame, expecting: "HELLO") }
        return try Hello.decode(frame.body)
    }

    private func checkPeerHello(_ hello: Hello) throws(TransportError) {
        guard hello.replica != store.replica else {
            throw TransportError(.selfConnection, "the peer has this store's own replica id \(hello.replica)")
        }
        // Peers learn which device wrote a replica's ops from HELLO (`history` names it): only
        // the device whose key the replica is bound to may claim it (Protocol.md 2.8).
        guard hello.replica == stream.peerReplica else {
            throw TransportError(.forged, "the peer's HELLO claims replica \(hello.replica.hex), which its key does not speak for")
        }
        guard hello.maxFrameBytes >= UInt64(SyncProtocol.minFrameBytes) else {
            throw TransportError(.malformed, "HELLO: a frame limit of \(hello.maxFrameBytes) bytes is below the \(SyncProtocol.minFrameBytes) allowed")
        }
        peerHello = hello
    }

    // MARK: Sending

    private func sendPhase() throws(TransportError) {
        var number: UInt64 = 0
        // Batches sent and not yet acknowledged, oldest first. With one allowed (version 2) this
        // is stop-and-wait; from version 3 the receiver's transaction for one batch overlaps the
        // sender reading, encoding and sending the next ones.
        let window = summary.version >= SyncProtocol.windowedVersion ? SyncProtocol.batchWindow : 1
        var inFlight: [(number: UInt64, space: SpaceID, ops: Int)] = []
        func settleOldest() throws(TransportError) {
            let oldest = inFlight.removeFirst()
            let applied = try expectAck(oldest.number)
            summary.sent.ops += oldest.ops
            summary.sent.batches += 1
            summary.sent.applied += Int(clamping: applied)
            markProgress()
            progress?(SyncProgress(direction: .sending, space: oldest.space, ops: summary.sent.ops, bytes: stream.bytesWritten))
        }
        let frameLimit = min(Int(clamping: peerHello.maxFrameBytes), SyncProtocol.maxFrameBytes)
        let byteTarget = max(1024, min(limits.batchBytes, frameLimit - 64))
        let prover = ChainProver(store: store, identity: identity)
        for space in exchanged {
            guard let theirs = peerHello.spaces.first(where: { $0.space == space }) else { continue }
            if !theirs.accepts && !faults.ignorePeerReadOnly { continue }
            try prover.signOwnOps(in: space)
            var pending = try disagreeingOps(in: space, theirs: theirs)
            var cursor: OpCursor? = nil
            repeat {
                if stopping() { throw TransportError(.shuttingDown, "the server is shutting down") }
                // Revocation: the grant is checked again at the start of every space and every
                // page of ops, against the trust list of this moment (another process may have
                // run `peers rm`).
                guard let current = try trust.peer(summary.peer) else {
                    throw TransportError(.notTrusted, "\(summary.peer) was removed from the trust list during the session")
                }
                if current.spaces[space] == nil && !faults.extraSpaces.contains(space) { break }
                let page = try storeCall { () throws(StoreError) in
                    try store.ops(in: space, above: theirs.vector, after: cursor, limit: max(1, limits.batchOps))
                }
                cursor = page.next
                let ops = pending + page.ops
                pending = []
                for chunk in encodeBatches(ops, byteTarget: byteTarget) {
                    let proved = try prover.prove(chunk.ops, space: space)
                    if proved.ops.isEmpty { continue }
                    let bytes = proved.ops.count == chunk.ops.count ? chunk.bytes : OpCodec.encode(OpBatch(ops: proved.ops))
                    let body = BatchHeader.encode(number: number + 1, space: space, proofs: proved.proofs, payload: bytes)
                    guard body.count + 1 <= frameLimit else {
                        throw TransportError(.internal, "a batch of \(body.count) bytes cannot fit in the peer's \(frameLimit)-byte frames")
                    }
                    number += 1
                    try writeFrame(.batch, body)
                    inFlight.append((number, space, proved.ops.count))
                    while inFlight.count >= window { try settleOldest() }
                }
            } while cursor != nil
        }
        while !inFlight.isEmpty { try settleOldest() }
        try writeFrame(.done, Counts.encode([number, UInt64(summary.sent.ops)]))
        markProgress()
    }

    /// Where the peer holds as many ops of a replica as this side but announced another chain
    /// value for them, its author signed two histories and neither side would otherwise learn
    /// it (nothing of the replica travels). The op that ends this side's history goes first, so
    /// the peer's check (Protocol.md 2.8) finds the contradiction; the peer sends its own, so
    /// this side finds it too.
    private func disagreeingOps(in space: SpaceID, theirs: HelloSpace) throws(TransportError) -> [Op] {
        guard let vector = ownVectors[space], let heads = ownHeads[space] else { return [] }
        var ops: [Op] = []
        for (replica, theirHead) in theirs.heads.sorted(by: { $0.key < $1.key }) {
            let seq = vector[replica]
            guard seq > 0, theirs.vector[replica] == seq, let head = heads[replica], head != theirHead else { continue }
            let last = try storeCall { () throws(StoreError) in try store.ops(of: replica, in: space, seqs: seq...seq) }
            ops += last.filter { $0.lastSeq == seq }
        }
        return ops
    }

    /// Encodes `ops` in batches of at most `byteTarget` bytes where possible, halving a batch
    /// that comes out larger.
    private func encodeBatches(_ ops: [Op], byteTarget: Int) -> [(bytes: [UInt8], ops: [Op])] {
        guard !ops.isEmpty else { return [] }
        let bytes = OpCodec.encode(OpBatch(ops: ops))
        if bytes.count <= byteTarget || ops.count == 1 { return [(bytes, ops)] }
        let half = ops.count / 2
        return encodeBatches(Array(ops[..<half]), byteTarget: byteTarget) + encodeBatches(Array(ops[half...]), byteTarget: byteTarget)
    }

    /// Waits for the ACK of batch `number`; returns the count the peer applied.
    private func expectAck(_ number: UInt64) throws(TransportError) -> UInt64 {
        let frame = try readFrame()
        guard frame.type == MessageType.ack.rawValue else { throw unexpected(frame, expecting: "ACK") }
        let values = try Counts.decode(frame.body, count: 3, "ACK")
        guard values[0] == number else {
            throw TransportError(.malformed, "ACK for batch \(values[0]) where batch \(number) was awaited")
        }
        return values[1]
    }

    // MARK: Receiving

    private func receivePhase() throws(TransportError) {
        var expected: UInt64 = 1
        var received = 0
        let verifier = ChainVerifier(store: store)
        while true {
            let frame = try readFrame()
            switch MessageType(rawValue: frame.type) {
            case .batch:
                let header = try BatchHeader.decode(frame.body)
                guard header.number == expected else {
                    throw TransportError(.malformed, "BATCH \(header.number) where \(expected) was expected")
                }
                let ops = try checkedOps(header, frame.body)
                let (result, faulty) = try receive(ops, header, verifier)
                try recordFaulty(faulty, in: header.space)
                summary.record(result.merged)
                received += ops.count
                summary.received.ops += ops.count
                summary.received.batches += 1
                summary.received.applied += result.applied + result.drained
                if result.applied + result.drained > 0 { markProgress() }
                try writeFrame(.ack, Counts.encode([header.number, UInt64(result.applied + result.drained), UInt64(result.duplicates)]))
                progress?(SyncProgress(direction: .receiving, space: header.space, ops: summary.received.ops, bytes: stream.bytesRead))
                expected += 1
                if stopping() { throw TransportError(.shuttingDown, "the server is shutting down") }
            case .done:
                let values = try Counts.decode(frame.body, count: 2, "DONE")
                guard values[0] == expected - 1, values[1] == UInt64(received) else {
                    throw TransportError(.malformed, "DONE counts \(values[0]) batches and \(values[1]) ops; \(expected - 1) and \(received) arrived")
                }
                markProgress()
                return
            default:
                throw unexpected(frame, expecting: "BATCH or DONE")
            }
        }
    }

    /// Applies a batch while its authorship is checked on another thread; the store commits
    /// only once the check has passed. When the check drops a replica found signing two
    /// histories, the transaction rolls back and the checked ops alone are applied.
    private func receive(
        _ ops: [Op], _ header: BatchHeader, _ verifier: ChainVerifier
    ) throws(TransportError) -> (ApplyResult, [(replica: ReplicaID, seq: UInt64)]) {
        let merging = peerHello.spaces.first { $0.space == header.space }.map {
            MergeContext(space: header.space, sender: peerHello.replica, senderVector: $0.vector,
                         localVector: ownVectors[header.space] ?? VersionVector())
        }
        let readOnly = try trust.readOnlyAuthors(in: header.space)
        let check = BackgroundVerification(verifier, ops: ops, proofs: header.proofs, space: header.space, batch: header.number)
        defer { _ = check.wait() }
        do {
            let result = try storeCall { () throws(StoreError) in
                try store.apply(ops, merging: merging, muting: readOnly) { () throws(StoreError) -> ReceivedProof in
                    guard case .success(let verified) = check.wait(), verified.ops.count == ops.count else {
                        throw StoreError(.invalidArgument, "the batch's authorship check did not pass as it stood")
                    }
                    return verified.proof
                }
            }
            guard case .success(let verified) = check.wait() else { return (result, []) }
            return (result, verified.faulty)
        } catch {
            let verified: ChainVerifier.Verified
            switch check.wait() {
            case .failure(let refusal): throw refusal
            case .success(let outcome) where outcome.ops.count == ops.count: throw error
            case .success(let outcome): verified = outcome
            }
            let result = try storeCall { () throws(StoreError) in
                try store.apply(verified.ops, merging: merging, proof: verified.proof, muting: readOnly)
            }
            return (result, verified.faulty)
        }
    }

    /// Keeps, and reports, the replicas whose authors were found signing two histories.
    private func recordFaulty(_ faulty: [(replica: ReplicaID, seq: UInt64)], in space: SpaceID) throws(TransportError) {
        for (replica, seq) in faulty {
            try storeCall { () throws(StoreError) in try store.recordFaulty(replica, in: space, at: seq, peer: summary.peer.description) }
            summary.faulty.append(FaultyReplica(space: space, replica: replica, seq: seq,
                                                detectedMillis: Store.systemMillis(), peer: summary.peer.description))
        }
    }

    /// Decodes a batch after checking, against the trust list of this moment, that the peer may
    /// write to its space; every op must belong to that space.
    private func checkedOps(_ header: BatchHeader, _ body: [UInt8]) throws(TransportError) -> [Op] {
        guard exchanged.contains(header.space) else {
            throw TransportError(.spaceNotGranted, "the space \(header.space) is not exchanged in this session")
        }
        guard let current = try trust.peer(summary.peer) else {
            throw TransportError(.notTrusted, "\(summary.peer) is no longer in the trust list")
        }
        switch current.spaces[header.space] {
        case nil: throw TransportError(.spaceNotGranted, "the space \(header.space) is not granted to \(peer.name)")
        case .readOnly: throw TransportError(.readOnly, "\(peer.name) is granted \(header.space) read-only; its ops are refused")
        case .readWrite: break
        }
        let batch: OpBatch
        do { batch = try OpCodec.decode(Array(body[header.payloadOffset...])) } catch {
            throw TransportError(.malformed, "BATCH \(header.number): \(error)")
        }
        if let stray = batch.ops.first(where: { $0.id.space != header.space }) {
            throw TransportError(.malformed, "BATCH \(header.number) for \(header.space) holds an op of \(stray.id.space)")
        }
        return batch.ops
    }

    // MARK: Frames

    /// Reads one frame, checking its length against this side's limit before allocating.
    func readFrame() throws(TransportError) -> Frame {
        if let frameDeadline {
            watchdog.arm("reading a frame", frameDeadline)
        }
        defer { if frameDeadline != nil { watchdog.disarm() } }
        progressClock.waiting(true)
        defer { progressClock.waiting(false) }
        var header = [UInt8](repeating: 0, count: 5)
        try guardedRead(into: &header, count: 4)
        let length = try Frame.bodyLength(header, limit: min(limits.maxFrameBytes, SyncProtocol.maxFrameBytes))
        // The type byte on its own, so the body lands where it stays (removing a first byte
        // would move every byte of a batch).
        try guardedRead(into: &header, at: 4, count: 1)
        var body = [UInt8](repeating: 0, count: length - 1)
        try guardedRead(into: &body, count: length - 1)
        let type = header[4]
        progressClock.moved(4 + length)
        if type == MessageType.error.rawValue { throw ErrorMessage.decode(body) }
        return Frame(type: type, body: body)
    }

    private func guardedRead(into buffer: inout [UInt8], at offset: Int = 0, count: Int) throws(TransportError) {
        guard count > 0 else { return }
        if let limit = faults.cutAfterBytesRead, stream.bytesRead + count > limit {
            cut = true
            stream.cut()
            throw TransportError(.connectionLost, "connection cut on purpose after \(stream.bytesRead) bytes read")
        }
        try stream.read(into: &buffer, at: offset, count: count)
    }

    func writeFrame(_ type: MessageType, _ body: [UInt8]) throws(TransportError) {
        let length = body.count + 1
        var frame: [UInt8] = [UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type.rawValue]
        frame += body
        if let limit = faults.cutAfterBytesWritten, stream.bytesWritten + frame.count > limit {
            try stream.write(Array(frame.prefix(max(0, limit - stream.bytesWritten))))
            cut = true
            stream.cut()
            throw TransportError(.connectionLost, "connection cut on purpose after \(stream.bytesWritten) bytes written")
        }
        try stream.write(frame)
        progressClock.moved(frame.count)
    }

    /// How long a side that sent ERROR keeps reading before it closes.
    static let lingerLimit: Duration = .milliseconds(500)

    /// After ERROR past HELLO, reads and discards what the peer had already sent — at most a
    /// window of batches, or the ACKs of one — until it closes, for a short while; after a server's
    /// `busy`, which comes before HELLO, the client's HELLO. Closing with
    /// unread bytes makes TCP reset the connection, and a peer still writing (a batch of its
    /// window, an ACK) would see "connection reset" instead of the ERROR that says why.
    private func lingerAfterError(_ error: TransportError) {
        guard isPastHello || error.code == .busy else { return }
        frameDeadline = Self.lingerLimit
        stream.setTimeouts(Self.lingerLimit)
        for _ in 0...SyncProtocol.batchWindow {
            do { _ = try readFrame() } catch { return }
        }
    }

    private func unexpected(_ frame: Frame, expecting: String) -> TransportError {
        let name = MessageType(rawValue: frame.type).map { "\($0)".uppercased() } ?? String(format: "type 0x%02x", frame.type)
        return TransportError(MessageType(rawValue: frame.type) == nil ? .malformed : .unexpectedMessage,
                              "received \(name) where \(expecting) was expected")
    }
}
