import Storage
import SyncCore

/// Produces the batches of one of this side's turns (Protocol.md 2.4, step 3), one at a time as
/// the session's window allows: each space of the turn in name order, pages of ops above the
/// turn's vector, encoded in batches that fit the peer's frames and proved by their authors.
final class TurnProducer {
    let kind: Turn.Kind
    private let turn: Turn
    private let store: Store
    private let prover: ChainProver
    private let trust: TrustList
    private let peer: DeviceID
    private let byteTarget: Int
    private let frameLimit: Int
    private let pageOps: Int
    private let stopping: () -> Bool
    /// This side's vectors and chain values as its HELLO gave them, by space.
    private let ownVectors: [SpaceID: VersionVector]
    private let ownHeads: [SpaceID: [ReplicaID: [UInt8]]]

    private var spaceIndex = 0
    private var cursor: OpCursor? = nil
    private var startedSpace = false
    private var ready: [(bytes: [UInt8], ops: [Op])] = []

    init(turn: Turn, store: Store, identity: DeviceIdentity, trust: TrustList, peer: DeviceID, frameLimit: Int, limits: SyncLimits,
         ownVectors: [SpaceID: VersionVector], ownHeads: [SpaceID: [ReplicaID: [UInt8]]], stopping: @escaping () -> Bool) {
        self.kind = turn.kind
        self.turn = turn
        self.store = store
        self.prover = ChainProver(store: store, identity: identity)
        self.trust = trust
        self.peer = peer
        self.frameLimit = frameLimit
        self.byteTarget = max(1024, min(limits.batchBytes, frameLimit - 64))
        self.pageOps = max(1, limits.batchOps)
        self.ownVectors = ownVectors
        self.ownHeads = ownHeads
        self.stopping = stopping
    }

    /// The body of BATCH `number`, its op count and space, or nil when the turn has nothing more.
    func next(number: UInt64) throws(TransportError) -> (body: [UInt8], ops: Int, space: SpaceID)? {
        while spaceIndex < turn.spaces.count {
            let entry = turn.spaces[spaceIndex]
            while !ready.isEmpty {
                let chunk = ready.removeFirst()
                let proved = try prover.prove(chunk.ops, space: entry.space)
                if proved.ops.isEmpty { continue }
                let bytes = proved.ops.count == chunk.ops.count ? chunk.bytes : OpCodec.encode(OpBatch(ops: proved.ops))
                let body = BatchHeader.encode(number: number, space: entry.space, proofs: proved.proofs, payload: bytes)
                guard body.count + 1 <= frameLimit else {
                    throw TransportError(.internal, "a batch of \(body.count) bytes cannot fit in the peer's \(frameLimit)-byte frames")
                }
                return (body, proved.ops.count, entry.space)
            }
            if startedSpace && cursor == nil {
                spaceIndex += 1
                startedSpace = false
                continue
            }
            try loadPage(entry)
        }
        return nil
    }

    /// Reads the next page of the space's ops into `ready`, after checking that the peer may
    /// still have them.
    private func loadPage(_ entry: TurnSpace) throws(TransportError) {
        if stopping() { throw TransportError(.shuttingDown, "the server is shutting down") }
        // Revocation: the grant is checked again at the start of every space and every page of
        // ops, against the trust list of this moment (another process may have run `peers rm`).
        guard let current = try trust.peer(peer) else {
            throw TransportError(.notTrusted, "\(peer) was removed from the trust list during the session")
        }
        var pending: [Op] = []
        if !startedSpace {
            startedSpace = true
            if current.spaces[entry.space] == nil {
                cursor = nil
                return
            }
            try prover.signOwnOps(in: entry.space)
            pending = try disagreeingOps(entry)
        } else if current.spaces[entry.space] == nil {
            cursor = nil
            return
        }
        let page = try storeCall { () throws(StoreError) in
            try store.ops(in: entry.space, above: entry.above, after: cursor, limit: pageOps)
        }
        cursor = page.next
        ready = Self.encodeBatches(pending + page.ops, byteTarget: byteTarget)
    }

    /// Where the receiver holds as many ops of a replica as this side but announced another
    /// chain value for them, its author signed two histories and neither side would otherwise
    /// learn it (nothing of the replica travels). The op that ends this side's history goes
    /// first, so the receiver's check (Protocol.md 2.8) finds the contradiction.
    private func disagreeingOps(_ entry: TurnSpace) throws(TransportError) -> [Op] {
        guard let theirs = entry.receiver, let vector = ownVectors[entry.space], let heads = ownHeads[entry.space] else { return [] }
        var ops: [Op] = []
        for (replica, theirHead) in theirs.heads.sorted(by: { $0.key < $1.key }) {
            let seq = vector[replica]
            guard seq > 0, theirs.vector[replica] == seq, let head = heads[replica], head != theirHead else { continue }
            let last = try storeCall { () throws(StoreError) in try store.ops(of: replica, in: entry.space, seqs: seq...seq) }
            ops += last.filter { $0.lastSeq == seq }
        }
        return ops
    }

    /// Encodes `ops` in batches of at most `byteTarget` bytes where possible, halving a batch
    /// that comes out larger.
    static func encodeBatches(_ ops: [Op], byteTarget: Int) -> [(bytes: [UInt8], ops: [Op])] {
        guard !ops.isEmpty else { return [] }
        let bytes = OpCodec.encode(OpBatch(ops: ops))
        if bytes.count <= byteTarget || ops.count == 1 { return [(bytes, ops)] }
        let half = ops.count / 2
        return encodeBatches(Array(ops[..<half]), byteTarget: byteTarget) + encodeBatches(Array(ops[half...]), byteTarget: byteTarget)
    }
}
