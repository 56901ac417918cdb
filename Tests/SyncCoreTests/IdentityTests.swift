import Testing
@testable import SyncCore

@Suite("Identifiers")
struct IdentityTests {
    @Test func replicaIDsRoundTripThroughBytesAndHex() throws {
        var generator = SplitMix64(seed: 42)
        let id = ReplicaID.random(using: &generator)
        #expect(ReplicaID(bytes: id.bytes) == id)
        #expect(ReplicaID(hex: id.hex) == id)
        #expect(id.hex.count == 32)
        #expect(ReplicaID(hex: "zz" + id.hex.dropFirst(2)) == nil)
        #expect(ReplicaID(bytes: [1, 2, 3]) == nil)
    }

    @Test func entityIDsSortByCreationTime() {
        var generator = SplitMix64(seed: 7)
        let ids = (0..<100).map { EntityID.make(millis: 1_700_000_000_000 + UInt64($0), using: &generator) }
        #expect(ids == ids.sorted())
        #expect(ids[5].millis == 1_700_000_000_005)
        #expect(Set(ids).count == 100)
    }

    @Test(arguments: ["team", "evidence", "a", "ward-3_north"])
    func validSpaceNames(_ name: String) throws {
        #expect(try SpaceID(name).name == name)
    }

    @Test(arguments: ["", "Team", "3team", "team space", "a/b", String(repeating: "x", count: 33)])
    func invalidSpaceNamesAreRefused(_ name: String) {
        #expect(throws: SyncCoreError.self) { try SpaceID(name) }
    }
}
