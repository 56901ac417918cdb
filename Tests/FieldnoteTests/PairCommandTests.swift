import Foundation
import Testing

/// `fieldnote pair`: two devices trust each other after one reads a code aloud and the other
/// types it; a wrong, expired or stolen code trusts nothing.
@Suite("pair with a spoken code")
struct PairCommandTests {
    /// A device waiting with a fresh code on 127.0.0.1; its code and the address to type.
    struct Waiting {
        let process: RunningProcess
        let code: String
        let host: String
    }

    static func wait(_ sandbox: Sandbox, _ extra: String...) throws -> Waiting {
        let process = try RunningProcess(["pair", "--store", sandbox.store.path, "--bind", "127.0.0.1", "--port", "0", "--yes"] + extra)
        guard let line = process.waitForLine(where: { $0.hasPrefix("on the other device: ") }) else {
            process.terminate()
            throw SandboxError("pair printed no code; stderr: \(process.stderr)")
        }
        let words = line.split(separator: " ")
        guard let index = words.firstIndex(of: "--host"), index + 1 < words.count, index >= 1 else {
            throw SandboxError("no --host in \(line)")
        }
        return Waiting(process: process, code: String(words[index - 1]), host: String(words[index + 1]))
    }

    static func peers(_ sandbox: Sandbox) throws -> [[String: Any]] {
        try #require(try sandbox.run("peers", "list", "--json").json() as? [[String: Any]])
    }

    @Test("the right code: both trust lists gain the other, with what each granted, and a sync works")
    func theRightCodePairs() throws {
        let asha = try Sandbox(), ben = try Sandbox()
        #expect(try asha.run("init", "--name", "Asha laptop").status == 0)
        #expect(try ben.run("init", "--name", "Ben phone").status == 0)
        let waiting = try Self.wait(asha, "--spaces", "team,evidence")
        defer { waiting.process.terminate() }
        let joined = try ben.run("pair", waiting.code.uppercased(), "--host", waiting.host, "--spaces", "team", "--yes")
        #expect(joined.status == 0 && joined.stdout.contains("trusted Asha laptop"), "\(joined.stderr)")
        #expect(joined.stderr.contains("it grants this device: evidence (read-write), team (read-write)"))
        #expect(waiting.process.waitForExit() == 0, "\(waiting.process.stderr)")
        #expect(waiting.process.stdout.contains("trusted Ben phone"))

        let ashaPeers = try Self.peers(asha), benPeers = try Self.peers(ben)
        let (ashaID, benID) = (try asha.deviceID(), try ben.deviceID())
        #expect(ashaPeers.count == 1 && ashaPeers[0]["name"] as? String == "Ben phone" && ashaPeers[0]["device"] as? String == benID)
        #expect(benPeers.count == 1 && benPeers[0]["device"] as? String == ashaID && benPeers[0]["key_known"] as? Bool == true)
        #expect(ashaPeers[0]["spaces"] as? [String: String] == ["team": "read-write", "evidence": "read-write"])
        #expect(benPeers[0]["spaces"] as? [String: String] == ["team": "read-write"])

        // Paired, they sync: a note written on Ben's device reaches Asha's.
        let note = try ben.add("Written after pairing")
        let server = try ServerProcess(asha)
        defer { server.terminate() }
        let summary = try ben.syncOK(server)
        #expect((summary["spaces"] as? [String]) == ["team"])
        #expect(try asha.noteIDs().contains(note))
    }

    @Test("a wrong code: both devices refuse, exit non-zero, and trust nothing; the code is spent")
    func aWrongCodeTrustsNothing() throws {
        let asha = try Sandbox(), ben = try Sandbox()
        let waiting = try Self.wait(asha)
        defer { waiting.process.terminate() }
        var words = waiting.code.split(separator: "-").map(String.init)
        words[3] = words[3] == "zebra" ? "zone" : "zebra"
        let wrong = try ben.run("pair", words.joined(separator: "-"), "--host", waiting.host, "--yes")
        #expect(wrong.status == 6 && wrong.stderr.contains("do not match") && wrong.stderr.contains("hint:"), "\(wrong.stderr)")
        #expect(waiting.process.waitForExit() == 6)
        #expect(waiting.process.stderr.contains("do not match"))
        #expect(try Self.peers(asha).isEmpty && Self.peers(ben).isEmpty)
        // The right code, now, finds no one waiting.
        let late = try ben.run("pair", waiting.code, "--host", waiting.host, "--yes")
        #expect(late.status == 5 && late.stderr.contains("no pairing is waiting"), "\(late.stderr)")
        #expect(try Self.peers(ben).isEmpty)
    }

    @Test("an expired code is refused; the waiting device says it expired")
    func anExpiredCodeIsRefused() throws {
        let asha = try Sandbox(), ben = try Sandbox()
        let waiting = try Self.wait(asha, "--timeout", "1")
        defer { waiting.process.terminate() }
        #expect(waiting.process.waitForExit(seconds: 10) == 7)
        #expect(waiting.process.stderr.contains("expired"), "\(waiting.process.stderr)")
        let late = try ben.run("pair", waiting.code, "--host", waiting.host, "--yes")
        #expect(late.status == 5)
        #expect(try Self.peers(asha).isEmpty && Self.peers(ben).isEmpty)
    }

    @Test("a third device racing with a guess spends the code; the colleague's pairing then fails safely")
    func aThirdDeviceRacingSpendsTheCode() throws {
        let asha = try Sandbox(), ben = try Sandbox(), mallory = try Sandbox()
        let waiting = try Self.wait(asha)
        defer { waiting.process.terminate() }
        let channel = waiting.code.split(separator: "-")[0]
        let guess = try mallory.run("pair", "\(channel)-able-above-zone", "--host", waiting.host, "--yes")
        #expect(guess.status == 6, "\(guess.stderr)")
        #expect(waiting.process.waitForExit() == 6)
        let colleague = try ben.run("pair", waiting.code, "--host", waiting.host, "--yes")
        #expect(colleague.status == 5, "\(colleague.stderr)")
        for sandbox in [asha, ben, mallory] { #expect(try Self.peers(sandbox).isEmpty) }
    }

    @Test("--mine on one device only: neither trusts the other")
    func mineOnOneSideOnlyTrustsNothing() throws {
        let laptop = try Sandbox(), phone = try Sandbox()
        let waiting = try Self.wait(laptop, "--mine")
        defer { waiting.process.terminate() }
        let joined = try phone.run("pair", waiting.code, "--host", waiting.host, "--yes")
        #expect(joined.status == 6 && joined.stderr.contains("--mine"), "\(joined.stderr)")
        #expect(waiting.process.waitForExit() == 6)
        #expect(try Self.peers(laptop).isEmpty && Self.peers(phone).isEmpty)
    }

    @Test("a code that is not one is refused before anything is sent")
    func aMalformedCodeIsRefused() throws {
        let ben = try Sandbox()
        for code in ["7-orbit-hazel", "0-able-above-zone", "7-able-above-notaword"] {
            let result = try ben.run("pair", code, "--host", "127.0.0.1:9", "--yes")
            #expect(result.status == 4, "\(code): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: "))
        }
    }
}
