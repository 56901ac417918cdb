import Foundation
import Sealing
import SyncCore

/// What each device offers the other once the code is confirmed (Protocol.md 4.3): who it is,
/// what it is called, the spaces it grants, and whether it says both devices are one person's.
public struct PairingOffer: Sendable, Hashable {
    /// The raw Ed25519 public key: the device id is its SHA-256.
    public var publicKey: [UInt8]
    /// The name its person gave it (`init --name`), shown to the other person.
    public var name: String
    public var spaces: [SpaceID: Access]
    /// `pair --mine`: both devices are one person's. Both must say so.
    public var mine: Bool

    public init(publicKey: [UInt8], name: String, spaces: [SpaceID: Access], mine: Bool) {
        self.publicKey = publicKey
        self.name = name
        self.spaces = spaces
        self.mine = mine
    }

    /// The device the key names.
    public var device: DeviceID? { DeviceID(sha256: Digests.sha256(publicKey)) }

    func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(publicKey)
        writer.string(String(name.prefix(TrustList.maximumNameLength)))
        writer.byte(mine ? 1 : 0)
        let sorted = spaces.sorted { $0.key < $1.key }
        writer.varint(sorted.count)
        for (space, access) in sorted {
            writer.string(space.name)
            writer.byte(access == .readWrite ? 1 : 0)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(TransportError) -> PairingOffer {
        var reader = ByteReader(bytes)
        do {
            let key = Array(try reader.raw(32))
            let name = try reader.string()
            guard name.count <= TrustList.maximumNameLength,
                  !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw TransportError(.malformed, "pairing: the other device's name is not 1–\(TrustList.maximumNameLength) printable characters")
            }
            let flag = try reader.byte()
            guard flag <= 1 else { throw TransportError(.malformed, "pairing: invalid flag \(flag)") }
            var spaces: [SpaceID: Access] = [:]
            for _ in 0..<(try reader.count(limit: 256)) {
                let space = try SpaceID(try reader.string())
                let access = try reader.byte()
                guard access <= 1 else { throw TransportError(.malformed, "pairing: invalid access \(access)") }
                spaces[space] = access == 1 ? .readWrite : .readOnly
            }
            guard reader.isAtEnd else { throw TransportError(.malformed, "pairing: bytes after the offer") }
            return PairingOffer(publicKey: key, name: name, spaces: spaces, mine: flag == 1)
        } catch let error as TransportError {
            throw error
        } catch {
            throw TransportError(.malformed, "pairing: the other device's offer is malformed: \(error)")
        }
    }
}
