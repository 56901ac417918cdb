import Storage
import SyncCore

extension SyncSession {
    /// Checks a batch the machine admitted against the trust list of this moment, decodes it
    /// (or takes its ops from `decoding`, when it was read ahead), and applies it while its
    /// authorship is checked (Protocol.md 2.4, step 4).
    func apply(
        _ header: BatchHeader, _ body: [UInt8], _ decoding: BackgroundResult<[Op]>?, _ context: inout SessionContext,
        _ verifier: ChainVerifier
    ) throws(TransportError) -> (ops: Int, applied: Int, duplicates: Int) {
        guard let current = try trust.peer(context.device) else {
            throw TransportError(.notTrusted, "\(context.device) is no longer in the trust list")
        }
        switch current.spaces[header.space] {
        case nil: throw TransportError(.spaceNotGranted, "the space \(header.space) is not granted to \(context.peer.name)")
        case .readOnly: throw TransportError(.readOnly, "\(context.peer.name) is granted \(header.space) read-only; its ops are refused")
        case .readWrite: break
        }
        let ops = try Self.ops(header, body, decoding)
        let (result, faulty) = try receive(ops, header, context, verifier)
        for (replica, seq) in faulty {
            try storeCall { () throws(StoreError) in try store.recordFaulty(replica, in: header.space, at: seq, peer: context.device.description) }
            context.faulty.append(FaultyReplica(space: header.space, replica: replica, seq: seq,
                                                detectedMillis: Store.systemMillis(), peer: context.device.description))
        }
        context.merged += result.merged
        return (ops.count, result.applied + result.drained, result.duplicates)
    }

    /// The batch's ops: decoded already on another thread (`ReadAhead`), or now.
    static func ops(_ header: BatchHeader, _ body: [UInt8], _ decoding: BackgroundResult<[Op]>?) throws(TransportError) -> [Op] {
        if let decoding { return try decoding.wait().get() }
        return try decodeOps(header, body)
    }

    /// The batch's ops, every one of the batch's space.
    static func decodeOps(_ header: BatchHeader, _ body: [UInt8]) throws(TransportError) -> [Op] {
        let batch: OpBatch
        do { batch = try OpCodec.decode(Array(body[header.payloadOffset...])) } catch {
            throw TransportError(.malformed, "BATCH \(header.number): \(error)")
        }
        if let stray = batch.ops.first(where: { $0.id.space != header.space }) {
            throw TransportError(.malformed, "BATCH \(header.number) for \(header.space) holds an op of \(stray.id.space)")
        }
        return batch.ops
    }

    /// Applies a batch while its authorship is checked on another thread; the store commits
    /// only once the check has passed. When the check drops a replica found signing two
    /// histories, the transaction rolls back and the checked ops alone are applied.
    private func receive(
        _ ops: [Op], _ header: BatchHeader, _ context: SessionContext, _ verifier: ChainVerifier
    ) throws(TransportError) -> (ApplyResult, [(replica: ReplicaID, seq: UInt64)]) {
        let merging = context.machine.peerHello.flatMap { hello in
            hello.space(header.space).map {
                MergeContext(space: header.space, sender: hello.replica, senderVector: $0.vector,
                             localVector: context.ownVectors[header.space] ?? VersionVector())
            }
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
}
