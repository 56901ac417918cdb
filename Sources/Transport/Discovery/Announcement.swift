import Foundation
import Sealing

/// What a device says on the local network (Protocol.md 5): "a device you may know serves on this
/// port", in a form that only a device that already knows it can recognise, and that changes
/// every `window` seconds so a stranger cannot tell two windows' announcements of one device apart.
public struct Announcement: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        /// `serve`: the tag is made from the device id.
        case device = 1
        /// `pair`: the tag is made from the pairing code.
        case pairing = 2
    }

    static let magic = Array("fieldnote announce 1".utf8)
    /// Seconds per window: a tag changes this often.
    public static let window: UInt64 = 300
    static let tagBytes = 16

    public var kind: Kind
    public var window: UInt64
    public var tag: [UInt8]
    /// The TCP port the announcer serves (or waits for a pairing) on.
    public var port: UInt16

    public init(kind: Kind, window: UInt64, tag: [UInt8], port: UInt16) {
        self.kind = kind
        self.window = window
        self.tag = tag
        self.port = port
    }

    /// The window a moment falls in.
    public static func window(at date: Date) -> UInt64 { UInt64(max(0, date.timeIntervalSince1970)) / window }

    /// A device's tag in `window`: HMAC-SHA-256 keyed with its device id, truncated.
    public static func deviceTag(_ device: DeviceID, window: UInt64) -> [UInt8] {
        tag(key: device.bytes, label: "fieldnote announce device", window: window)
    }

    /// A pairing's tag in `window`: keyed with the code, so only who holds the code recognises it.
    public static func pairingTag(_ code: PairingCode, window: UInt64) -> [UInt8] {
        tag(key: Digests.sha256(code.password), label: "fieldnote announce pairing", window: window)
    }

    private static func tag(key: [UInt8], label: String, window: UInt64) -> [UInt8] {
        Array(Digests.hmacSHA256(key: key, Array(label.utf8) + withUnsafeBytes(of: window.bigEndian, Array.init)).prefix(tagBytes))
    }

    public func encode() -> [UInt8] {
        Self.magic + [kind.rawValue] + withUnsafeBytes(of: window.bigEndian, Array.init) + tag + [UInt8(port >> 8), UInt8(port & 0xFF)]
    }

    /// Nil for anything that is not an announcement: datagrams from anyone are ignored, not refused.
    public static func decode(_ bytes: [UInt8]) -> Announcement? {
        let size = magic.count + 1 + 8 + tagBytes + 2
        guard bytes.count == size, Array(bytes.prefix(magic.count)) == magic, let kind = Kind(rawValue: bytes[magic.count]) else { return nil }
        var offset = magic.count + 1
        let window = bytes[offset..<offset + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        offset += 8
        let tag = Array(bytes[offset..<offset + tagBytes])
        offset += tagBytes
        let port = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        guard port > 0 else { return nil }
        return Announcement(kind: kind, window: window, tag: tag, port: port)
    }

    /// Whether this announcement is `device`'s, in the window of `now` or the one before (a clock a
    /// little behind, or an announcement made just before the window turned).
    public func isFrom(_ device: DeviceID, now: Date = Date()) -> Bool {
        kind == .device && Self.recentWindows(now).contains(window) && Digests.constantTimeEqual(tag, Self.deviceTag(device, window: window))
    }

    public func isFor(_ code: PairingCode, now: Date = Date()) -> Bool {
        kind == .pairing && Self.recentWindows(now).contains(window) && Digests.constantTimeEqual(tag, Self.pairingTag(code, window: window))
    }

    static func recentWindows(_ now: Date) -> [UInt64] {
        let current = window(at: now)
        return [current, current &+ 1, current &- 1]
    }
}
