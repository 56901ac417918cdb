import Sealing
import Storage
import SyncCore

/// What a session knows once its peer is authenticated: who the peer is, this side's HELLO, and
/// the state machine built from them.
struct SessionContext {
    let device: DeviceID
    let peer: Peer
    var machine: SyncSessionStateMachine
    /// This store's vectors as its HELLO gave them: what it held when the session began.
    let ownVectors: [SpaceID: VersionVector]
    /// The chain values this side's HELLO announced, by space.
    let ownHeads: [SpaceID: [ReplicaID: [UInt8]]]
    /// The spaces of the batches sent and not yet acknowledged, oldest first, for progress reports.
    var unacknowledged: [SpaceID] = []
    /// Notes where received ops met concurrent changes, as each batch found them.
    var merged: [MergeMark] = []
    /// Replicas found signing two histories in this session.
    var faulty: [FaultyReplica] = []

    init(session: SyncSession) throws(TransportError) {
        let stream = session.stream
        guard let device = stream.peerID, device != session.identity.id else {
            throw TransportError(.selfConnection, "refusing a connection to this device itself")
        }
        // Only an Ed25519 key speaks for a replica (Protocol.md 2.8); the handshake admits no
        // other, so this is a check, not a path a peer can take.
        guard let peerReplica = stream.peerReplica else {
            throw TransportError(.forged, "\(device)'s certificate key speaks for no replica")
        }
        guard let trusted = try session.trust.peer(device) else {
            throw TransportError(.notTrusted, "\(device) is not in the trust list")
        }
        if let key = stream.peerPublicKey { try session.trust.learnKey(key, of: device) }
        self.device = device
        self.peer = trusted
        let store = session.store
        // The client's opening turn starts from what it remembers the server holding.
        let bases = session.isServer ? [:] : try storeCall { () throws(StoreError) in try store.peerVectors(device: device.description) }
        var spaces: [HelloSpace] = []
        var vectors: [SpaceID: VersionVector] = [:]
        var heads: [SpaceID: [ReplicaID: [UInt8]]] = [:]
        let signer = ChainProver(store: store, identity: session.identity)
        for (space, access) in trusted.spaces.sorted(by: { $0.key < $1.key }) {
            if let requested = session.requestedSpaces, !requested.contains(space) { continue }
            // Signed first, so the HELLO can say where this device's own chain stands.
            try signer.signOwnOps(in: space)
            let vector = try storeCall { () throws(StoreError) in try store.versionVector(space) }
            let chain = try storeCall { () throws(StoreError) in try store.chainValues(in: space, at: vector) }
            vectors[space] = vector
            heads[space] = chain
            spaces.append(HelloSpace(space: space, accepts: access == .readWrite, vector: vector, heads: chain,
                                     base: bases[space]))
        }
        ownVectors = vectors
        ownHeads = heads
        // Only to a device this one marks as the same person's: the secret links the person's
        // evidence across months for whoever holds it.
        let person = trusted.isMine ? try storeCall { () throws(StoreError) in try store.personSecret() } : nil
        // Not to a rep: how many reps a member knows would help tell the member's records apart.
        let reps = trusted.isRep ? [] : try session.trust.peers().filter(\.isRep).compactMap(\.publicKey).prefix(Hello.maximumReps)
        let frameLimit = max(SyncProtocol.minFrameBytes, min(session.limits.maxFrameBytes, SyncProtocol.maxFrameBytes))
        let hello = Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: store.replica,
                          maxFrameBytes: UInt64(frameLimit), spaces: spaces, person: person, reps: Array(reps))
        machine = SyncSessionStateMachine(role: session.isServer ? .server : .client, hello: hello, peerReplica: peerReplica)
    }

    /// Keeps what the peer's HELLO brings beside the protocol: its replica's device, the person
    /// secret from one's own devices, the keys of reps.
    func learnFromHello(_ hello: Hello, store: Store, trust: TrustList) throws(TransportError) {
        try storeCall { () throws(StoreError) in try store.rememberPeerReplica(hello.replica, device: device.description) }
        // One person's devices settle on one secret, so they count as one reporter; a device not
        // marked as this person's is not listened to.
        if peer.isMine, let person = hello.person {
            _ = try storeCall { () throws(StoreError) in try store.adoptPersonSecret(person) }
        }
        // Kept only for devices in this trust list, and only when the key hashes to their id.
        for key in hello.reps {
            if let rep = DeviceID(sha256: Digests.sha256(key)) { try trust.learnKey(key, of: rep) }
        }
    }
}
