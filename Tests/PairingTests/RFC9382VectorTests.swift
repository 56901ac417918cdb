@testable import Pairing
import Sealing
import Testing

@Suite("SPAKE2 against RFC 9382")
struct RFC9382VectorTests {
    @Test("both sides reproduce every value of Appendix B byte for byte", arguments: RFC9382Vector.appendixB)
    func appendixB(vector: RFC9382Vector) throws {
        let password = try PasswordScalar(bigEndian: vector.bytes(\.w))
        var partyA = try SPAKE2(role: .partyA, password: password, secretScalar: vector.bytes(\.x),
                                identityA: Array(vector.identityA.utf8), identityB: Array(vector.identityB.utf8))
        var partyB = try SPAKE2(role: .partyB, password: password, secretScalar: vector.bytes(\.y),
                                identityA: Array(vector.identityA.utf8), identityB: Array(vector.identityB.utf8))
        #expect(partyA.outgoingShare == vector.bytes(\.pA))
        #expect(partyB.outgoingShare == vector.bytes(\.pB))

        let confirmationA = try partyA.receivePeerShare(partyB.outgoingShare)
        let confirmationB = try partyB.receivePeerShare(partyA.outgoingShare)
        #expect(confirmationA == vector.bytes(\.confirmationA))
        #expect(confirmationB == vector.bytes(\.confirmationB))

        let schedules = [partyA.keySchedule, partyB.keySchedule].compactMap { $0 }
        #expect(schedules.count == 2)
        for schedule in schedules {
            #expect(schedule.sharedElement == vector.bytes(\.K))
            #expect(schedule.transcript == vector.bytes(\.TT))
            #expect(schedule.transcriptHash == vector.bytes(\.hashTT))
            #expect(schedule.sessionKey == vector.bytes(\.Ke))
            #expect(schedule.confirmationSeed == vector.bytes(\.Ka))
            #expect(schedule.confirmationKeyA == vector.bytes(\.KcA))
            #expect(schedule.confirmationKeyB == vector.bytes(\.KcB))
            #expect(schedule.confirmationA == vector.bytes(\.confirmationA))
            #expect(schedule.confirmationB == vector.bytes(\.confirmationB))
        }

        #expect(try partyA.receivePeerConfirmation(confirmationB) == vector.bytes(\.Ke))
        #expect(try partyB.receivePeerConfirmation(confirmationA) == vector.bytes(\.Ke))
    }

    /// RFC 9382 Appendix A: hash the seed "<OID> point generation seed (M)" with SHA-256 again and
    /// again; from the i-th hash on, take 33 bytes, force the first to 0x02 or 0x03 keeping its low
    /// bit, and the first such string that is a point is M (likewise N).
    @Test("M and N are the points Appendix A generates from their seeds", arguments: [
        ("M", P256Group.encodedM), ("N", P256Group.encodedN),
    ])
    func pointGeneration(name: String, encoded: String) throws {
        let curve = try P256Group().curve
        let seed = Array("1.2.840.10045.3.1.7 point generation seed (\(name))".utf8)
        var hashes = [seed]
        for _ in 0..<100 { hashes.append(Digests.sha256(hashes[hashes.count - 1])) }
        let generated = (1..<99).lazy.compactMap { start -> [UInt8]? in
            let candidate = Array((hashes[start] + hashes[start + 1]).prefix(33))
            let sec1 = [candidate[0] & 1 | 2] + candidate.dropFirst()
            return (try? P256Group.decode(sec1: sec1, on: curve)) == nil ? nil : sec1
        }.first
        #expect(generated == [UInt8](hex: encoded))
    }
}
