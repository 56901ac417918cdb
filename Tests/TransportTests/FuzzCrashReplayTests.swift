import Foundation
import Testing
import SyncCore
@testable import Transport

/// Every input a fuzz target ever crashed on (Tests/Fixtures/fuzz-crashes), and every seed of
/// the fuzz corpus, replayed through the op/batch decoder and the frame and message decoder on
/// every test run: each must be refused with an error or decode to a value that round-trips.
@Suite("Fuzz crash replay: codec and wire")
struct FuzzCrashReplayTests {
    /// The files under `Tests/Fixtures/fuzz-crashes/<target>` and `Fuzz/corpus/<target>`.
    static func inputs(_ target: String) -> [URL] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folders = [root.appendingPathComponent("Tests/Fixtures/fuzz-crashes/\(target)"), root.appendingPathComponent("Fuzz/corpus/\(target)")]
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { !$0.lastPathComponent.hasPrefix(".") }
        }.sorted { $0.path < $1.path }
    }

    @Test func opBatchInputsAreRefusedOrRoundTrip() throws {
        let files = Self.inputs("fuzz-opbatch")
        #expect(!files.isEmpty, "the fuzz corpus is missing")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            guard let batch = try? OpCodec.decode(bytes) else { continue }
            #expect(try OpCodec.decode(OpCodec.encode(batch)) == batch, "\(file.lastPathComponent) does not round-trip")
        }
    }

    @Test func wireInputsAreRefusedOrRoundTrip() throws {
        let files = Self.inputs("fuzz-wire")
        #expect(!files.isEmpty, "the fuzz corpus is missing")
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: file))
            for limit in [1 << 16, SyncProtocol.maxFrameBytes] {
                if case .mismatch(let what) = WireCheck.check(bytes, frameLimit: limit) {
                    Issue.record("\(file.lastPathComponent): \(what)")
                }
            }
        }
    }

    /// The seeds are real sessions: they must decode whole, so the fuzzer starts from valid messages.
    @Test func wireSeedsDecodeWhole() throws {
        let seeds = Self.inputs("fuzz-wire").filter { $0.path.contains("/Fuzz/corpus/") }
        for file in seeds {
            let outcome = WireCheck.check([UInt8](try Data(contentsOf: file)))
            guard case .roundTripped(let messages) = outcome, messages > 0 else {
                Issue.record("\(file.lastPathComponent): \(outcome)"); continue
            }
        }
    }
}
