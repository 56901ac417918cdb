extension SyncSessionStateMachine {
    var clientHello: Hello? { role == .client ? ownHello : peerHello }
    var serverHello: Hello? { role == .server ? ownHello : peerHello }

    mutating func receivedHello(_ hello: Hello) {
        guard peerHello == nil, role == .client || step == .receiveHello else {
            return failed(SessionError(.unexpectedMessage, "received HELLO twice"))
        }
        switch role {
        case .server:
            let low = max(hello.minVersion, versions.lowerBound)
            let high = min(hello.maxVersion, versions.upperBound)
            guard low <= high else {
                return failed(SessionError(.versionMismatch, "the peer speaks protocol versions \(hello.minVersion)–\(hello.maxVersion); this device speaks \(versions.lowerBound)–\(versions.upperBound)"))
            }
            version = high
            ownHello.minVersion = high
            ownHello.maxVersion = high
        case .client:
            guard hello.minVersion == hello.maxVersion, versions.contains(hello.minVersion) else {
                return failed(SessionError(.versionMismatch, "the server chose protocol version \(hello.minVersion)–\(hello.maxVersion); this device speaks \(versions.lowerBound)–\(versions.upperBound)"))
            }
            guard hello.spaces.allSatisfy({ $0.base == nil }) else {
                return failed(SessionError(.malformed, "HELLO: a server's HELLO gives a base"))
            }
            version = hello.minVersion
        }
        guard hello.replica != ownHello.replica else {
            return failed(SessionError(.selfConnection, "the peer has this store's own replica id \(hello.replica)"))
        }
        // Peers learn which device wrote a replica's ops from HELLO: only the device whose key
        // the replica is bound to may claim it (Protocol.md 2.8).
        guard hello.replica == peerReplica else {
            return failed(SessionError(.forged, "the peer's HELLO claims replica \(hello.replica.hex), which its key does not speak for"))
        }
        guard hello.maxFrameBytes >= UInt64(SyncProtocol.minFrameBytes) else {
            return failed(SessionError(.malformed, "HELLO: a frame limit of \(hello.maxFrameBytes) bytes is below the \(SyncProtocol.minFrameBytes) allowed"))
        }
        peerHello = hello
        if role == .server { stepIndex += 1 }
        planTurns()
    }

    /// Works out, from the two HELLOs alone, what both sides must agree on: the spaces
    /// exchanged, which of the client's opening batches the server applies, and the spaces of
    /// the closing turn.
    private mutating func planTurns() {
        guard let client = clientHello, let server = serverHello else { return }
        let offered = Set(ownHello.spaces.map(\.space))
        exchanged = peerHello!.spaces.map(\.space).filter(offered.contains).sorted()
        for space in exchanged {
            guard let ours = server.space(space), ours.accepts, let theirs = client.space(space) else { continue }
            if Self.openingCovers(client: theirs, server: ours) {
                openingCovered.insert(space)
            } else {
                closingSpaces.append(space)
            }
        }
    }

    /// An opening turn covers a space when the server holds at least the base the client sent
    /// from, and no replica's chain differs between them at an equal count (that needs each
    /// side's last op of it, which only a turn after both HELLOs sends).
    static func openingCovers(client: HelloSpace, server: HelloSpace) -> Bool {
        guard let base = client.base else { return false }
        guard base.entries.allSatisfy({ server.vector[$0.key] >= $0.value }) else { return false }
        for (replica, head) in client.heads {
            let seq = client.vector[replica]
            if seq > 0, server.vector[replica] == seq, let other = server.heads[replica], other != head { return false }
        }
        return true
    }

    /// The spaces and starting vectors of one of this side's turns.
    func turn(_ kind: Turn.Kind) -> Turn {
        switch kind {
        case .opening:
            return Turn(kind: kind, spaces: ownHello.spaces.compactMap { entry in
                entry.base.map { TurnSpace(space: entry.space, above: $0) }
            }.sorted { $0.space < $1.space })
        case .answer:
            return Turn(kind: kind, spaces: exchanged.compactMap { space in
                guard let theirs = peerHello?.space(space), theirs.accepts else { return nil }
                return TurnSpace(space: space, above: theirs.vector, receiver: theirs)
            })
        case .closing:
            return Turn(kind: kind, spaces: closingSpaces.compactMap { space in
                peerHello?.space(space).map { TurnSpace(space: space, above: $0.vector, receiver: $0) }
            })
        }
    }

    /// A client's lower bound, once the session finished, on what the server holds of each
    /// space it accepts: both HELLOs' vectors joined, since each side now holds what the other
    /// announced. Remembered for the next session's opening turn.
    public var serverVectorsAfterSession: [SpaceID: VersionVector] {
        guard case .finish = terminal, let client = clientHello, let server = serverHello else { return [:] }
        var vectors: [SpaceID: VersionVector] = [:]
        for space in exchanged {
            guard let ours = server.space(space), ours.accepts, let theirs = client.space(space) else { continue }
            vectors[space] = ours.vector.merging(theirs.vector)
        }
        return vectors
    }
}
