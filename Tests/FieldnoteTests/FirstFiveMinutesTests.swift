import Foundation
import Testing

/// The README's "first five minutes", run as written: what a newcomer types must work.
@Suite struct FirstFiveMinutesTests {
    /// The README at the package root (the test bundle lives under `.build`).
    static func readme() throws -> String {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("README.md")
            if FileManager.default.fileExists(atPath: candidate.path),
               FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return try String(contentsOf: candidate, encoding: .utf8)
            }
            directory.deleteLastPathComponent()
        }
        throw SandboxError("README.md not found above \(#filePath)")
    }

    /// The `sh` code blocks of the section that starts with `heading`, up to the next heading of
    /// the same or a higher level.
    static func blocks(under heading: String, in readme: String) -> [String] {
        let lines = readme.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: heading) else { return [] }
        let level = heading.prefix { $0 == "#" }.count
        var blocks: [String] = [], current: [String]? = nil
        for line in lines[(start + 1)...] {
            if current == nil, line.hasPrefix("#"), line.prefix(while: { $0 == "#" }).count <= level { break }
            if line == "```sh" { current = []; continue }
            if line == "```", let block = current { blocks.append(block.joined(separator: "\n")); current = nil; continue }
            current?.append(line)
        }
        return blocks
    }

    /// Runs a shell script with the built `fieldnote` first on the PATH and the store in `$FIELDNOTE_HOME`.
    static func sh(_ script: String, home: URL) throws -> FieldnoteProcess.Result {
        let bin = FieldnoteProcess.executable.deletingLastPathComponent().path
        let path = "\(bin):" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try FieldnoteProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-e", "-c", script],
                                        environment: ["PATH": path, "FIELDNOTE_HOME": home.path])
    }

    @Test func writingListingSearchingAndEditingWorkAsWritten() throws {
        let blocks = FirstFiveMinutesTests.blocks(under: "## The first five minutes", in: try FirstFiveMinutesTests.readme())
        let first = try #require(blocks.first, "no sh block under \"## The first five minutes\"")
        #expect(first.contains("fieldnote add") && first.contains("fieldnote search") && first.contains("fieldnote edit"))
        let sandbox = try Sandbox()
        let result = try FirstFiveMinutesTests.sh(first, home: sandbox.store)
        #expect(result.status == 0, "the README's first block failed: \(result.stderr)")
        let notes = try sandbox.run("list", "--json")
        let note = try #require((try notes.json() as? [[String: Any]])?.first)
        #expect(note["text"] as? String == "Supervision cancelled again; caseload 32")
        #expect(note["tags"] as? [String] == ["supervision"])
    }

    @Test func syncingWithAColleagueWorksAsWritten() throws {
        let blocks = FirstFiveMinutesTests.blocks(under: "### Sync with a colleague", in: try FirstFiveMinutesTests.readme())
        let block = try #require(blocks.first, "no sh block under \"### Sync with a colleague\"")
        // After the first time, a colleague is synced with by name: the block shows it, and runs it.
        #expect(block.contains("fieldnote sync Ben"), "the block no longer syncs by name")
        let asha = try Sandbox(), ben = try Sandbox()
        _ = try asha.add("Referral screened by an agency worker")

        // Split by "# on NAME's laptop". The waiting `pair` and `serve` run in the background on
        // free loopback ports; the code and addresses the README shows are replaced by the ones
        // they printed. On loopback nothing is announced, so `sync Ben` is run after one sync by
        // address, as off the office network (`LocalNetworkTests` finds Ben by name across hosts).
        var server: ServerProcess?
        var waiting: RunningProcess?
        defer { server?.terminate(); waiting?.terminate() }
        var code = "", pairHost = ""
        var device: Sandbox? = nil
        var ran = 0
        for rawLine in block.components(separatedBy: "\n") {
            if rawLine.hasPrefix("# on ") {
                device = rawLine.contains("Ben") ? ben : rawLine.contains("Asha") ? asha : nil
                continue
            }
            let line = rawLine.components(separatedBy: "  #").first!.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, let device else { continue }
            if line.hasPrefix("fieldnote serve") {
                server = try ServerProcess(device)
                continue
            }
            if line.hasPrefix("fieldnote pair --") {
                let process = try RunningProcess(["pair", "--store", device.store.path] + line.split(separator: " ").dropFirst(2).map(String.init)
                                                 + ["--bind", "127.0.0.1", "--port", "0", "--yes"])
                waiting = process
                let shown = try #require(process.waitForLine(where: { $0.hasPrefix("on the other device: ") }), "\(process.stderr)")
                let words = shown.split(separator: " ")
                let index = try #require(words.firstIndex(of: "--host"))
                (code, pairHost) = (String(words[index - 1]), String(words[index + 1]))
                ran += 1
                continue
            }
            var command = line
            if command.hasPrefix("fieldnote pair 7-orbit-hazel-anchor") {
                #expect(command.contains("--name Ben"), "the README names the device it syncs with later")
                command = command.replacingOccurrences(of: "7-orbit-hazel-anchor", with: code) + " --host \(pairHost) --yes"
            }
            if command == "fieldnote sync Ben", let server {
                let first = try FirstFiveMinutesTests.sh("fieldnote sync \(server.address)", home: device.store)
                #expect(first.status == 0, "sync by address: \(first.stderr)")
            }
            let result = try FirstFiveMinutesTests.sh(command, home: device.store)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            ran += 1
        }
        #expect(waiting?.waitForExit() == 0, "the waiting pair: \(waiting?.stderr ?? "")")
        #expect(ran >= 4 && server != nil, "the block lost its commands")
        #expect(try ben.noteIDs() == asha.noteIDs() && ben.noteIDs().count == 1)
    }
}
