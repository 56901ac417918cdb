import Foundation
import Testing

@Suite("id and peers")
struct PeersCommandTests {
    @Test("id prints a well-formed device id, the same every time, and --json agrees")
    func idIsStable() throws {
        let sandbox = try Sandbox()
        let first = try sandbox.run("id")
        #expect(first.status == 0, "\(first.stderr)")
        let id = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let groups = id.split(separator: "-")
        #expect(groups.count == 8)
        #expect(groups.allSatisfy { $0.count == 7 && $0.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) } }, "\(id)")
        let second = try sandbox.run("id")
        #expect(second.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == id)
        #expect(try sandbox.deviceID() == id)
        #expect(!second.stderr.contains("created"), "the identity is made once: \(second.stderr)")
        // The key is private to its owner.
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.store.appendingPathComponent("device.key").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // Another store is another device.
        #expect(try Sandbox().deviceID() != id)
    }

    @Test("peers add, list and rm; a mistyped id is refused naming the bad group")
    func addListRemove() throws {
        let sandbox = try Sandbox(), other = try Sandbox()
        let otherID = try other.deviceID()

        let added = try sandbox.peers("add", otherID, "--name", "Ben", "--spaces", "team,evidence")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("Ben"))
        let rep = try Sandbox().deviceID()
        #expect(try sandbox.peers("add", rep.lowercased().replacingOccurrences(of: "-", with: ""), "--name", "Rosa",
                                  "--spaces", "evidence", "--read-only").status == 0)

        let list = try sandbox.peers("list", "--json")
        #expect(list.status == 0)
        let peers = try #require(try list.json() as? [[String: Any]])
        #expect(peers.map { $0["name"] as? String } == ["Ben", "Rosa"])
        #expect(peers[0]["device"] as? String == otherID)
        #expect(peers[0]["spaces"] as? [String: String] == ["team": "read-write", "evidence": "read-write"])
        #expect(peers[1]["device"] as? String == rep)
        #expect(peers[1]["spaces"] as? [String: String] == ["evidence": "read-only"])
        let table = try sandbox.peers("list")
        #expect(table.stdout.contains("Ben") && table.stdout.contains(otherID))

        // One character changed in the third group: the check character of group 2 (of four) catches it.
        var characters = Array(otherID)
        let index = 17
        characters[index] = characters[index] == "A" ? "B" : "A"
        let typo = String(characters)
        let before = try sandbox.snapshot()
        let refused = try sandbox.peers("add", typo, "--name", "Typo")
        #expect(refused.status == 4)
        #expect(refused.stderrLines.count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("invalid device id"), "\(refused.stderr)")
        #expect(refused.stderr.contains("group 2"), "\(refused.stderr)")
        let typedGroups = typo.split(separator: "-")
        #expect(refused.stderr.contains("check \"\(typedGroups[2])-\(typedGroups[3])\", groups 3 and 4 as written"), "\(refused.stderr)")
        #expect(try sandbox.snapshot() == before, "a refused id changes nothing")
        let short = try sandbox.peers("add", "ABCDEFG-HIJ", "--name", "Short")
        #expect(short.status == 4)
        #expect(short.stderr.contains("56 characters"), "\(short.stderr)")

        // A name already used by another device is refused.
        let duplicate = try sandbox.peers("add", try Sandbox().deviceID(), "--name", "ben")
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("already used"), "\(duplicate.stderr)")
        // One's own id is refused.
        #expect(try sandbox.peers("add", try sandbox.deviceID(), "--name", "Me").status == 4)

        // rm by name, then by id.
        let removed = try sandbox.peers("rm", "ben")
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(try sandbox.peers("rm", rep).status == 0)
        let empty = try #require(try sandbox.peers("list", "--json").json() as? [Any])
        #expect(empty.isEmpty)
        let unknown = try sandbox.peers("rm", "Ben")
        #expect(unknown.status == 3)
        #expect(unknown.stderr.contains("no trusted peer"), "\(unknown.stderr)")
    }
}
