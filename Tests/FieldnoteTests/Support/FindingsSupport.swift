import Foundation
import Testing

extension Sandbox {
    /// `fieldnote findings SUBCOMMAND --store … ARGUMENTS…` (the store option belongs to the subcommand).
    @discardableResult
    func findings(_ subcommand: String, _ arguments: String..., input: String? = nil) throws -> FieldnoteProcess.Result {
        try run(["findings", subcommand] + arguments, input: input)
    }

    /// Writes `contents` to a file in the sandbox (beside the store) and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    /// `share NOTE --yes --json`, returning the shared record; throws if sharing fails. A rep is
    /// marked first if none is (`markRep`).
    @discardableResult
    func share(_ note: String, _ extra: String...) throws -> [String: Any] {
        try markRep()
        let result = try run(["share", note, "--yes", "--json"] + extra)
        guard result.status == 0, let object = try result.json() as? [String: Any] else {
            throw SandboxError("share failed (\(result.status)): \(result.stderr)")
        }
        return object
    }
}

extension Sandbox {
    /// Marks `rep` (by default a store of its own beside this one, "rep-store") as a union rep's
    /// device here, with its key known, as a first sync with it leaves the trust list: its public
    /// key, from `id --json` there, written into this trust list's entry. Does nothing when a rep
    /// with a known key is marked already. Returns the rep's device id.
    @discardableResult
    func markRep(_ rep: Sandbox? = nil, name: String = "Rosa") throws -> String {
        let repStore = rep?.store ?? root.appendingPathComponent("rep-store", isDirectory: true)
        let identity = try FieldnoteProcess.run(["id", "--store", repStore.path, "--json"])
        guard identity.status == 0, let object = try identity.json() as? [String: Any],
              let device = object["device"] as? String, let key = object["public_key"] as? String else {
            throw SandboxError("id failed (\(identity.status)): \(identity.stderr)")
        }
        let trustURL = store.appendingPathComponent("trust.json")
        if let data = try? Data(contentsOf: trustURL), let list = try JSONSerialization.jsonObject(with: data) as? [String: Any],
           let peers = list["peers"] as? [[String: Any]], peers.contains(where: { $0["rep"] as? Bool == true && $0["key"] != nil }) {
            return device
        }
        let added = try run("peers", "add", device, "--name", name, "--spaces", "evidence", "--rep")
        guard added.status == 0 else { throw SandboxError("peers add --rep failed (\(added.status)): \(added.stderr)") }
        let data = try Data(contentsOf: trustURL)
        guard var list = try JSONSerialization.jsonObject(with: data) as? [String: Any], var peers = list["peers"] as? [[String: Any]] else {
            throw SandboxError("trust.json is not what `peers add` writes")
        }
        for index in peers.indices where peers[index]["device"] as? String == device { peers[index]["key"] = key }
        list["peers"] = peers
        try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys, .prettyPrinted]).write(to: trustURL)
        return device
    }
}

/// Whether `needle` occurs in `haystack`, byte for byte.
func containsBytes(_ haystack: Data, _ needle: String) -> Bool {
    let needle = Data(needle.utf8)
    return !needle.isEmpty && haystack.range(of: needle) != nil
}

extension BadInputTests {
    /// `expectRefused` for `findings SUBCOMMAND …`, whose `--store` must follow the subcommand:
    /// the arguments are run as given, with the store appended.
    func expectFindingsRefused(
        _ fixture: Fixture, _ arguments: [String], status: Int32, mentioning words: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try fixture.sandbox.snapshot()
        let result = try FieldnoteProcess.run(["findings"] + arguments + ["--store", fixture.sandbox.store.path])
        #expect(result.status == status && result.stdout.isEmpty, "\(arguments): \(result.status) \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        let missing = words.filter { !result.stderr.contains($0) }
        #expect(missing.isEmpty, "\(arguments): \(result.stderr) lacks \(missing)", sourceLocation: sourceLocation)
        #expect(try fixture.sandbox.snapshot() == before, "\(arguments) changed the store", sourceLocation: sourceLocation)
    }
}
