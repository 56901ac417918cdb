import Foundation
import Testing
@testable import Transport

/// What a local-network announcement gives away: to a device that trusts the announcer, who it
/// is; to anyone else, nothing that recognises the device in another time window.
@Suite("Local discovery announcements")
struct AnnouncementTests {
    static func device(_ byte: UInt8) -> DeviceID { DeviceID(sha256: [UInt8](repeating: byte, count: 31) + [byte &+ 1])! }

    @Test("a trusting device recognises the announcer, in this window and the next and last only")
    func aTrustingDeviceRecognisesIt() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let window = Announcement.window(at: now)
        let mine = Self.device(7), other = Self.device(9)
        let heard = Announcement(kind: .device, window: window, tag: Announcement.deviceTag(mine, window: window), port: 7420)
        let decoded = try #require(Announcement.decode(heard.encode()))
        #expect(decoded == heard)
        #expect(decoded.isFrom(mine, now: now) && !decoded.isFrom(other, now: now))
        #expect(decoded.isFrom(mine, now: now.addingTimeInterval(Double(Announcement.window))))
        #expect(!decoded.isFrom(mine, now: now.addingTimeInterval(Double(3 * Announcement.window))), "an old announcement replayed later is not taken")
        #expect(Announcement(kind: .pairing, window: window, tag: heard.tag, port: 7420).isFrom(mine, now: now) == false)
    }

    @Test("a stranger cannot tell two windows' announcements of one device from two devices'")
    func aStrangerLearnsNothingAcrossWindows() {
        let mine = Self.device(7)
        let tags = (0..<50).map { Announcement.deviceTag(mine, window: 5_000_000 + UInt64($0)) }
        #expect(Set(tags).count == tags.count, "a new tag every window")
        // Nothing of the device id is in any announcement's bytes.
        for tag in tags {
            let bytes = Announcement(kind: .device, window: 1, tag: tag, port: 7420).encode()
            #expect(!Data(bytes).contains(Data(mine.bytes.prefix(8))))
        }
        // Bit by bit, two windows' tags of one device agree no more than chance would.
        var agreeing = 0, total = 0
        for (a, b) in zip(tags, tags.dropFirst()) {
            for (x, y) in zip(a, b) { agreeing += 8 - (x ^ y).nonzeroBitCount; total += 8 }
        }
        #expect(abs(Double(agreeing) / Double(total) - 0.5) < 0.05)
    }

    @Test("a pairing is recognised only with its code")
    func aPairingIsRecognisedOnlyWithItsCode() throws {
        let code = try PairingCode("12-able-above-zone"), other = try PairingCode("12-able-above-zebra")
        let now = Date()
        let window = Announcement.window(at: now)
        let heard = Announcement(kind: .pairing, window: window, tag: Announcement.pairingTag(code, window: window), port: 7421)
        #expect(heard.isFor(code, now: now) && !heard.isFor(other, now: now))
    }

    @Test("datagrams that are not announcements are ignored")
    func junkIsIgnored() {
        #expect(Announcement.decode([]) == nil)
        #expect(Announcement.decode(Array(repeating: 0, count: 47)) == nil)
        var bytes = Announcement(kind: .device, window: 1, tag: Array(repeating: 1, count: 16), port: 1).encode()
        bytes[bytes.count - 1] = 0
        bytes[bytes.count - 2] = 0
        #expect(Announcement.decode(bytes) == nil, "port 0")
        #expect(Announcement.decode(Array("fieldnote announce 1".utf8) + Array(repeating: 9, count: 27)) == nil, "kind 9")
    }
}
