import Pairing
import Testing

/// Two devices' identities, as a pairing would name them.
let phoneIdentity = Array("phone".utf8)
let laptopIdentity = Array("laptop".utf8)

/// w for `code` at a cheap scrypt cost: these tests are about the exchange, not the MHF.
func cheapPassword(_ code: String) throws -> PasswordScalar {
    try PasswordScalar(code: Array(code.utf8), salt: PasswordScalar.pairingSalt,
                       cost: ScryptCost(blockCount: 16, blockSize: 1, parallelism: 1))
}

/// A fresh exchange for one side, with a random secret scalar.
func party(_ role: SPAKE2.Role, code: String, identityB: [UInt8] = laptopIdentity) throws -> SPAKE2 {
    try SPAKE2(role: role, password: try cheapPassword(code), identityA: phoneIdentity, identityB: identityB)
}

/// Whether `step` fails with a `PairingError` of `code`.
func refuses<Result: ~Copyable>(_ code: PairingError.Code, _ step: () throws -> Result) -> Bool {
    do {
        _ = try step()
        return false
    } catch let error as PairingError {
        return code ~= error
    } catch {
        return false
    }
}

@Suite("SPAKE2 exchanges")
struct SPAKE2ExchangeTests {
    @Test("A and B with random scalars and the same code agree on Ke, and only after confirming")
    func sameCodeAgrees() throws {
        let password = try PasswordScalar(code: Array("4711 0815".utf8))  // the production cost
        var partyA = try SPAKE2(role: .partyA, password: password, identityA: phoneIdentity, identityB: laptopIdentity)
        var partyB = try SPAKE2(role: .partyB, password: password, identityA: phoneIdentity, identityB: laptopIdentity)
        #expect(partyA.outgoingShare.count == 65 && partyA.outgoingShare.first == 0x04)
        #expect(partyA.outgoingShare != partyB.outgoingShare)

        let confirmationB = try partyB.receivePeerShare(partyA.outgoingShare)
        let confirmationA = try partyA.receivePeerShare(partyB.outgoingShare)
        let keyB = try partyB.receivePeerConfirmation(confirmationA)
        let keyA = try partyA.receivePeerConfirmation(confirmationB)
        #expect(keyA == keyB)
        #expect(keyA.count == 16)
    }

    @Test("two runs with the same code give different shares and different keys")
    func freshScalarsEachRun() throws {
        var keys: Set<[UInt8]> = []
        var shares: Set<[UInt8]> = []
        for _ in 0..<3 {
            var partyA = try party(.partyA, code: "4711")
            var partyB = try party(.partyB, code: "4711")
            shares.insert(partyA.outgoingShare)
            let confirmationB = try partyB.receivePeerShare(partyA.outgoingShare)
            let confirmationA = try partyA.receivePeerShare(partyB.outgoingShare)
            _ = try partyB.receivePeerConfirmation(confirmationA)
            keys.insert(try partyA.receivePeerConfirmation(confirmationB))
        }
        #expect(keys.count == 3 && shares.count == 3)
    }

    @Test("a wrong code fails confirmation on both sides, and both then refuse everything")
    func wrongCodeFailsBothSides() throws {
        var partyA = try party(.partyA, code: "4711")
        var partyB = try party(.partyB, code: "4712")
        let confirmationB = try partyB.receivePeerShare(partyA.outgoingShare)
        let confirmationA = try partyA.receivePeerShare(partyB.outgoingShare)
        #expect(refuses(.confirmationFailed) { try partyA.receivePeerConfirmation(confirmationB) })
        #expect(refuses(.confirmationFailed) { try partyB.receivePeerConfirmation(confirmationA) })
        // A failed instance takes no second guess, not even its own side's MAC back.
        #expect(refuses(.exchangeOver) { try partyA.receivePeerConfirmation(confirmationA) })
        #expect(refuses(.exchangeOver) { try partyB.receivePeerShare(partyA.outgoingShare) })
    }

    @Test("sides that disagree on an identity fail confirmation, though the code is the same")
    func identityMismatchFails() throws {
        var partyA = try party(.partyA, code: "4711")
        var partyB = try party(.partyB, code: "4711", identityB: Array("someone else".utf8))
        let confirmationB = try partyB.receivePeerShare(partyA.outgoingShare)
        _ = try partyA.receivePeerShare(partyB.outgoingShare)
        #expect(refuses(.confirmationFailed) { try partyA.receivePeerConfirmation(confirmationB) })
    }

    @Test("a truncated or altered confirmation fails")
    func alteredConfirmationFails() throws {
        let alterations: [([UInt8]) -> [UInt8]] = [{ Array($0.dropLast()) }, { [$0[0] ^ 1] + $0.dropFirst() }, { _ in [] }]
        for alter in alterations {
            var partyA = try party(.partyA, code: "4711")
            var partyB = try party(.partyB, code: "4711")
            let confirmationB = try partyB.receivePeerShare(partyA.outgoingShare)
            _ = try partyA.receivePeerShare(partyB.outgoingShare)
            #expect(refuses(.confirmationFailed) { try partyA.receivePeerConfirmation(alter(confirmationB)) })
        }
    }

    @Test("an instance runs once: steps out of order, repeated or after the end are refused")
    func oneAttemptPerInstance() throws {
        var early = try party(.partyA, code: "4711")
        #expect(refuses(.exchangeOver) { try early.receivePeerConfirmation([UInt8](repeating: 0, count: 32)) })
        #expect(refuses(.exchangeOver) { try early.receivePeerShare(try party(.partyB, code: "4711").outgoingShare) },
                "a step out of order ends the exchange")

        var partyA = try party(.partyA, code: "4711")
        var partyB = try party(.partyB, code: "4711")
        let confirmationB = try partyB.receivePeerShare(partyA.outgoingShare)
        let confirmationA = try partyA.receivePeerShare(partyB.outgoingShare)
        #expect(refuses(.exchangeOver) { try partyA.receivePeerShare(partyB.outgoingShare) }, "a replayed share")
        #expect(refuses(.exchangeOver) { try partyA.receivePeerConfirmation(confirmationB) })

        _ = try partyB.receivePeerConfirmation(confirmationA)
        #expect(refuses(.exchangeOver) { try partyB.receivePeerConfirmation(confirmationA) }, "a replayed confirmation")
        #expect(refuses(.exchangeOver) { try partyB.receivePeerShare(partyA.outgoingShare) })
    }

    @Test("messages recorded from one exchange are worthless in the next")
    func replayIntoNewExchangeFails() throws {
        var recordedA = try party(.partyA, code: "4711")
        var recordedB = try party(.partyB, code: "4711")
        _ = try recordedB.receivePeerShare(recordedA.outgoingShare)
        let recordedConfirmationA = try recordedA.receivePeerShare(recordedB.outgoingShare)

        // An attacker replays A's old share and confirmation to a fresh B with the same code.
        var freshB = try party(.partyB, code: "4711")
        _ = try freshB.receivePeerShare(recordedA.outgoingShare)
        #expect(refuses(.confirmationFailed) { try freshB.receivePeerConfirmation(recordedConfirmationA) })
    }

    @Test("a side's own share and confirmation reflected back to it fail confirmation")
    func reflectionFails() throws {
        var partyA = try party(.partyA, code: "4711")
        let ownConfirmation = try partyA.receivePeerShare(partyA.outgoingShare)
        #expect(refuses(.confirmationFailed) { try partyA.receivePeerConfirmation(ownConfirmation) })
    }
}
