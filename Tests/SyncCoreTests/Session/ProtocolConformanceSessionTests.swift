import Foundation
import Testing
@testable import SyncCore

/// Holds the HELLO codec and the session state machine to the conformance files in
/// `Tests/Fixtures/protocol/sessions`, which another implementation runs to show it speaks
/// Protocol.md 2.3–2.5 and 2.7.
///
/// Named so that `--filter ProtocolConformance` runs it with the files of sections 1 and 6: one
/// command regenerates the whole set,
/// `FIELDNOTE_WRITE_PROTOCOL_FIXTURES=1 swift test --filter ProtocolConformance`.
@Suite("Protocol conformance fixtures: sessions")
struct ProtocolConformanceSessionTests {
    /// Writes the files first when asked, once, before any test reads them.
    static let written: Result<Void, any Error> = Result {
        guard ProtocolConformanceTests.writing else { return }
        let folder = FixtureFiles.directory.appendingPathComponent(SessionFixtureFiles.folder)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (path, text) in try SessionFixtureFiles.render() {
            try Data(text.utf8).write(to: FixtureFiles.directory.appendingPathComponent(path))
        }
    }

    static func read(_ name: String) throws -> FixtureJSON {
        try written.get()
        return try FixtureJSON.parse(Data(contentsOf: FixtureFiles.directory.appendingPathComponent("\(SessionFixtureFiles.folder)/\(name)")))
    }

    /// Decoding each body gives exactly its fields; building the HELLO from the fields and
    /// encoding it gives exactly the body (or its `canonical_hex`).
    @Test func hellosDecodeToTheirFieldsAndEncodeToTheirBytes() throws {
        let hellos = try #require(try Self.read("hellos.json")["hellos"]?.arrayValue)
        #expect(hellos.count >= 6)
        for entry in hellos {
            let name = try FixtureOps.string(entry["name"], "name")
            let bytes = try ProtocolConformanceTests.bytes(entry["hex"], name)
            let canonical = entry["canonical_hex"] == nil ? bytes : try ProtocolConformanceTests.bytes(entry["canonical_hex"], name)
            let decoded = try Hello.decode(bytes)
            #expect(FixtureHelloForm.json(decoded) == entry["fields"], "\(name): the hex decodes to other fields")
            let built = try FixtureHelloForm.hello(entry["fields"])
            #expect(built == decoded, "\(name): the fields build another HELLO")
            #expect(FixtureHex.string(built.encode()) == FixtureHex.string(canonical), "\(name): the fields encode to other bytes")
        }
    }

    @Test func refusedHellosAreRefusedWithTheirCode() throws {
        let refused = try #require(try Self.read("hellos.json")["refused"]?.arrayValue)
        #expect(refused.count >= 14)
        for entry in refused {
            let name = try FixtureOps.string(entry["name"], "name")
            let code = SessionFixtureFiles.refusalCode(try ProtocolConformanceTests.bytes(entry["hex"], name))
            #expect(code?.rawValue == entry["wire_code"]?.stringValue, "\(name): refused with \(String(describing: code))")
        }
    }

    /// Each transcript, replayed through `SyncSessionStateMachine` with the driver the README
    /// describes, sends exactly its `send` steps, applies or sets aside each batch as marked,
    /// and ends as its outcome says.
    @Test func transcriptsReplayExactlyThroughTheStateMachine() throws {
        let transcripts = try Self.transcripts()
        #expect(transcripts.count >= 42)
        for entry in transcripts {
            let name = try FixtureOps.string(entry["name"], "name")
            do {
                var replay = try SessionTranscriptReplay(entry)
                let outcome = try replay.run()
                #expect(outcome == (try SessionTranscriptReplay.outcome(entry["outcome"])), "\(name)")
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
    }

    static func transcripts() throws -> [FixtureJSON] {
        try #require(try read("transcripts.json")["transcripts"]?.arrayValue)
    }

    /// The files are what the definitions give: a definition changed without regenerating, or a
    /// file edited by hand, fails here.
    @Test func theSessionFilesAreWhatTheGeneratorWrites() throws {
        try Self.written.get()
        let rendered = try SessionFixtureFiles.render()
        let folder = FixtureFiles.directory.appendingPathComponent(SessionFixtureFiles.folder)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(onDisk.map { "\(SessionFixtureFiles.folder)/\($0)" }) == Set(rendered.keys))
        for (path, text) in rendered {
            let file = try String(contentsOf: FixtureFiles.directory.appendingPathComponent(path), encoding: .utf8)
            #expect(Array(file.utf8) == Array(text.utf8), "\(path) differs from what the generator writes")
        }
    }
}
