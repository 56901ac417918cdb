import Foundation
import Sealing
import SyncCore

/// What a peer may do with one space: receive it and send to it, or only receive it.
public enum Access: String, Sendable, Hashable, Codable, CaseIterable {
    /// The peer receives the space's ops and its ops for the space are applied here.
    case readWrite = "read-write"
    /// The peer receives the space's ops; its ops for the space are refused (`read_only`).
    case readOnly = "read-only"
}

/// One trusted device: who it is, what it is called here, and which spaces it is granted.
public struct Peer: Sendable, Hashable {
    public var device: DeviceID
    public var name: String
    public var spaces: [SpaceID: Access]
    /// When it was added (or last changed), Unix milliseconds.
    public var addedMillis: UInt64
    /// A union rep's device: evidence records shared here are sealed to its key.
    public var isRep: Bool
    /// Another device of this device's own person (`--mine`): the two count as one reporter.
    public var isMine: Bool
    /// Its raw Ed25519 public key, learned from its certificate at the first sync (its SHA-256
    /// is the device id); nil before. A rep's records can be sealed only once it is known.
    public var publicKey: [UInt8]?
    /// Where a sync this device started last reached it and succeeded (`HOST:PORT`, an IPv6
    /// host in brackets); nil before. `sync NAME` goes there, so people type an address once.
    public var lastAddress: String?
    /// When that sync ended, Unix milliseconds; nil before.
    public var lastSyncMillis: UInt64?

    public init(device: DeviceID, name: String, spaces: [SpaceID: Access], addedMillis: UInt64,
                isRep: Bool = false, isMine: Bool = false, publicKey: [UInt8]? = nil,
                lastAddress: String? = nil, lastSyncMillis: UInt64? = nil) {
        self.device = device
        self.name = name
        self.spaces = spaces
        self.addedMillis = addedMillis
        self.isRep = isRep
        self.isMine = isMine
        self.publicKey = publicKey
        self.lastAddress = lastAddress
        self.lastSyncMillis = lastSyncMillis
    }

    /// The X25519 key evidence is sealed to when this peer is a rep; nil until its key is known.
    public var sealingKey: [UInt8]? { publicKey.flatMap(SealingKey.publicKey(ofEd25519:)) }

    /// The granted spaces in name order.
    public var sortedSpaces: [(space: SpaceID, access: Access)] {
        spaces.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

/// The devices this store trusts, kept in `trust.json` (mode 0600) in the store directory.
///
/// Local-only: never synced, never sent. A peer not in the list cannot complete a TLS handshake
/// with this device; a peer in it exchanges only the spaces it is granted. The file is re-read
/// whenever it changes on disk, so a `peers rm` in another process revokes a peer for a server
/// that is already running, from its next handshake or its next batch.
///
/// File format (version 2: device ids name keys; version 1's named certificates and is refused),
/// written with sorted keys:
/// ```json
/// {"peers":[{"added_ms":1767261600000,"device":"MFZWI3D-…","name":"Sam",
///            "spaces":{"evidence":"read-only","team":"read-write"}}],"version":2}
/// ```
/// An entry may also hold `"rep":true`, `"mine":true`, `"key"` (the device's public key in
/// hex, once a sync has shown it), and `"last_address"` and `"last_sync_ms"` (where and when a
/// sync this device started last succeeded with it). Every one of these is optional, so a list
/// written here reads in a fieldnote that knows none of them.
///
/// Sendable: every access to `cached` and `stamp` happens with `lock` held.
public final class TrustList: @unchecked Sendable {
    public static let fileName = "trust.json"
    public static let maximumNameLength = 64

    public let url: URL
    private let lock = NSLock()
    private var cached: [DeviceID: Peer] = [:]
    private var stamp: FileStamp? = nil

    /// Opens the trust list of the store in `directory` (an absent file is an empty list).
    public init(directory: URL) throws(TransportError) {
        url = directory.appendingPathComponent(TrustList.fileName)
        lock.lock()
        defer { lock.unlock() }
        try refreshLocked()
    }

    /// Every trusted peer, by name.
    public func peers() throws(TransportError) -> [Peer] {
        try snapshot().values.sorted { ($0.name, $0.device) < ($1.name, $1.device) }
    }

    /// The peer with this device id, if trusted.
    public func peer(_ device: DeviceID) throws(TransportError) -> Peer? {
        try snapshot()[device]
    }

    /// A peer named by its device id (any accepted form) or by its name (exact, case-insensitive).
    public func resolve(_ text: String) throws(TransportError) -> Peer {
        let peers = try snapshot()
        if let device = try? DeviceID(text), let peer = peers[device] { return peer }
        let matches = peers.values.filter { $0.name.lowercased() == text.lowercased() }
        if matches.count == 1 { return matches[0] }
        throw TransportError(.unknownPeer, "no trusted peer has the device id or name \"\(text)\"")
    }

    /// Trusts `device` under `name` with `spaces`, replacing what was granted before.
    /// Names are 1–64 printable characters, unique in the list (case-insensitive).
    @discardableResult
    public func add(
        _ device: DeviceID, name: String, spaces: [SpaceID: Access], isRep: Bool = false, isMine: Bool = false,
        publicKey: [UInt8]? = nil, now: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)
    ) throws(TransportError) -> Peer {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= TrustList.maximumNameLength,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw TransportError(.trustList, "a peer name is 1–\(TrustList.maximumNameLength) printable characters")
        }
        var peer = Peer(device: device, name: name, spaces: spaces, addedMillis: now, isRep: isRep, isMine: isMine)
        try modify { peers throws(TransportError) in
            if let other = peers.values.first(where: { $0.device != device && $0.name.lowercased() == name.lowercased() }) {
                throw TransportError(.trustList, "the name \"\(name)\" is already used by \(other.device.short)")
            }
            // Changing a grant does not change who the device is, nor where it was reached. A key
            // is taken only when it is the one the id names (pairing gives it at once).
            peer.publicKey = publicKey.flatMap { Digests.sha256($0) == device.bytes ? $0 : nil } ?? peers[device]?.publicKey
            peer.lastAddress = peers[device]?.lastAddress
            peer.lastSyncMillis = peers[device]?.lastSyncMillis
            peers[device] = peer
        }
        return peer
    }

    /// Keeps the public key of a device marked `--rep` or `--mine`, seen in its certificate
    /// during a sync or in a HELLO; ignored for any other device, a key already known, or a key
    /// whose SHA-256 is not the device id. Only those two need a key, and a sync that writes the
    /// file holds up every handshake reading it: with fifty clients at once, some timed out.
    public func learnKey(_ key: [UInt8], of device: DeviceID) throws(TransportError) {
        guard key.count == 32, let peer = try snapshot()[device], peer.isRep || peer.isMine, peer.publicKey != key,
              Digests.sha256(key) == device.bytes else { return }
        try modify { peers throws(TransportError) in peers[device]?.publicKey = key }
    }

    /// Remembers that a sync this device started reached `device` at `address` (`HOST:PORT`)
    /// and succeeded, at `now`: `sync NAME` and `sync` alone go there next time. Only a client
    /// calls it, after its session: a server sees a client's outgoing port, not where it
    /// listens, and a write during a session holds up every handshake that reads the list.
    /// Nothing is written when the device is no longer trusted (removed during the sync).
    public func recordSync(with device: DeviceID, at address: String,
                           now: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) throws(TransportError) {
        guard try snapshot()[device] != nil else { return }
        try modify { peers throws(TransportError) in
            peers[device]?.lastAddress = address
            peers[device]?.lastSyncMillis = now
        }
    }

    /// Stops trusting `device`. Returns the peer removed.
    @discardableResult
    public func remove(_ device: DeviceID) throws(TransportError) -> Peer {
        var removed: Peer? = nil
        try modify { peers throws(TransportError) in
            removed = peers.removeValue(forKey: device)
            if removed == nil { throw TransportError(.unknownPeer, "\(device) is not in the trust list") }
        }
        return removed!
    }

    /// What `device` is granted for `space` now (nil: not trusted, or the space not granted).
    func access(_ device: DeviceID, _ space: SpaceID) throws(TransportError) -> Access? {
        try peer(device)?.spaces[space]
    }

    // MARK: File

    private struct FileStamp: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
    }

    private struct FileForm: Codable {
        struct Entry: Codable {
            var device: DeviceID
            var name: String
            var spaces: [String: Access]
            var added_ms: UInt64
            var rep: Bool?
            var mine: Bool?
            var key: String?
            var last_address: String?
            var last_sync_ms: UInt64?
        }
        var version: Int
        var peers: [Entry]
    }

    private func snapshot() throws(TransportError) -> [DeviceID: Peer] {
        lock.lock()
        defer { lock.unlock() }
        try refreshLocked()
        return cached
    }

    private func currentStamp() -> FileStamp? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return FileStamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec))
    }

    /// Re-reads the file if it changed since the last read. Caller holds `lock`.
    private func refreshLocked() throws(TransportError) {
        let now = currentStamp()
        if now == stamp && (now != nil || cached.isEmpty) { return }
        guard now != nil else { cached = [:]; stamp = nil; return }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TransportError(.trustList, "cannot read the trust list \(url.path): \(error.localizedDescription)")
        }
        // The version first: a list of another version may not even decode as this one.
        struct Version: Decodable { var version: Int }
        if (try? JSONDecoder().decode(Version.self, from: data))?.version == 1 {
            throw TransportError(.outdatedTrustList, """
                the trust list \(url.path) was written by an older fieldnote: its device ids named certificates, \
                and now name keys, so none of them matches any more
                """)
        }
        let form: FileForm
        do { form = try JSONDecoder().decode(FileForm.self, from: data) } catch {
            throw TransportError(.trustList, "the trust list \(url.path) is not valid: \(error)")
        }
        guard form.version == 2 else {
            throw TransportError(.trustList, "the trust list \(url.path) has version \(form.version); this fieldnote reads version 2")
        }
        var peers: [DeviceID: Peer] = [:]
        for entry in form.peers {
            var spaces: [SpaceID: Access] = [:]
            for (name, access) in entry.spaces {
                guard let space = try? SpaceID(name) else {
                    throw TransportError(.trustList, "the trust list \(url.path) grants an invalid space \"\(name)\"")
                }
                spaces[space] = access
            }
            let key = entry.key.flatMap(Hex.bytes).flatMap { Digests.sha256($0) == entry.device.bytes ? $0 : nil }
            peers[entry.device] = Peer(device: entry.device, name: entry.name, spaces: spaces, addedMillis: entry.added_ms,
                                       isRep: entry.rep ?? false, isMine: entry.mine ?? false, publicKey: key,
                                       lastAddress: entry.last_address, lastSyncMillis: entry.last_sync_ms)
        }
        cached = peers
        stamp = now
    }

    /// Read, change and write the list under an exclusive lock on `trust.json.lock`, so two
    /// processes changing it at once do not lose either change.
    private func modify(_ change: (inout [DeviceID: Peer]) throws(TransportError) -> Void) throws(TransportError) {
        lock.lock()
        defer { lock.unlock() }
        let lockPath = url.path + ".lock"
        let lockFile = open(lockPath, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lockFile >= 0 else { throw TransportError(.trustList, "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lockFile) }
        _ = flock(lockFile, LOCK_EX)
        stamp = nil
        try refreshLocked()
        var peers = cached
        try change(&peers)
        let form = FileForm(version: 2, peers: peers.values.sorted { $0.device < $1.device }.map {
            FileForm.Entry(device: $0.device, name: $0.name,
                           spaces: Dictionary(uniqueKeysWithValues: $0.spaces.map { ($0.key.name, $0.value) }),
                           added_ms: $0.addedMillis, rep: $0.isRep ? true : nil, mine: $0.isMine ? true : nil,
                           key: $0.publicKey.map { $0.map { String(format: "%02x", $0) }.joined() },
                           last_address: $0.lastAddress, last_sync_ms: $0.lastSyncMillis)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data: Data
        do { data = try encoder.encode(form) } catch { throw TransportError(.trustList, "cannot encode the trust list: \(error)") }
        try writeFileAtomically([UInt8](data) + [0x0A], to: url, mode: 0o600, code: .trustList)
        stamp = nil
        try refreshLocked()
    }
}

/// Lower-case hex, read back.
enum Hex {
    static func bytes(_ text: String) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
