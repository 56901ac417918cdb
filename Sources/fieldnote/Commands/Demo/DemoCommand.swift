import ArgumentParser
import Foundation
import Storage
import SyncCore
import Transport

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch four devices keep notes, share evidence and sync over TLS, in a throwaway directory.",
        discussion: """
            Makes four devices in a temporary directory — three social workers, Asha, Ben and \
            Cara, and their union rep, Rosa — each with its own store, key and trust list. Asha \
            and Ben share the team and evidence spaces; Cara and Rosa share evidence only. They \
            write notes, link them to published findings (asking `suggest` first), both Asha and \
            Ben edit the same note offline, every worker shares the week's figures as anonymous \
            evidence, and they sync through a real server over TLS 1.3 on 127.0.0.1, exactly as \
            `serve` and `sync` do. Rosa then builds the report, in which a category with a single \
            person is held back. The story is printed as it happens; the directory is removed \
            at the end unless --keep is given. Your own store is not touched.

            Examples:
              fieldnote demo
              fieldnote demo --keep       # then look: fieldnote list --store DIR/ben
              fieldnote demo --json
            """)

    @OptionGroup var output: OutputOptions

    @Flag(help: "Keep the demo directory (one store per device) and print its path.")
    var keep = false

    func run() throws {
        // Ctrl-C or SIGTERM stops the story at its next step, which removes the directory as an
        // error would. Blocked before the directory exists, so no moment is left uncovered.
        let interruption = keep ? nil : DemoInterruption()
        let root = try DemoCommand.makeDirectory()
        defer { if !keep { try? FileManager.default.removeItem(at: root) } }
        interruption?.watch(root)
        let story = DemoStory(root: root, narrate: !output.json, interruption: interruption)
        let result: [String: Any]
        do {
            result = try story.run()
        } catch let stop as DemoInterruption.Stop {
            try? FileManager.default.removeItem(at: root)
            Terminal.note("interrupted: removed the demo directory")
            throw ExitCode(128 + stop.signal)
        }
        if output.json {
            var object = result
            if keep { object["directory"] = root.path } else { object["directory"] = NSNull() }
            object["kept"] = keep
            try JSONOutput.print(object)
        } else if keep {
            print("")
            print("kept the demo's stores in \(root.path) (one directory per device); try:")
            print("  fieldnote list --store \(root.appendingPathComponent("ben").path)")
            print("  fieldnote report --store \(root.appendingPathComponent("rosa").path) --format html --out report.html")
        } else {
            print("")
            print("removed the demo directory; nothing else was written.")
        }
    }

    /// A fresh directory only this user can enter.
    static func makeDirectory() throws -> URL {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("fieldnote-demo.XXXXXX").path
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else {
            throw CommandFailure("cannot make a temporary directory for the demo: \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }
}

/// SIGINT and SIGTERM during the demo: taken by a dedicated thread, which asks the story to stop
/// at its next step (each takes well under a second). Should it not stop within five seconds,
/// the thread removes the directory itself and exits.
final class DemoInterruption: @unchecked Sendable {
    struct Stop: Error { var signal: Int32 }

    private let lock = NSLock()
    private var received: Int32? = nil
    private let signals: sigset_t

    /// Blocks the two signals before the demo starts any thread, so that every thread inherits
    /// the mask and only the waiting thread takes them.
    init() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        self.signals = signals
    }

    func watch(_ root: URL) {
        let path = root.path
        let thread = Thread { [self] in
            var set = signals
            var number: Int32 = 0
            while sigwait(&set, &number) != 0 {}
            lock.lock()
            received = number
            lock.unlock()
            sleep(5)
            try? FileManager.default.removeItem(atPath: path)
            Terminal.note("interrupted: removed the demo directory")
            _exit(128 + number)
        }
        thread.name = "fieldnote.demo.signals"
        thread.start()
    }

    /// Throws `Stop` once a signal has come.
    func check() throws {
        lock.lock()
        defer { lock.unlock() }
        if let received { throw Stop(signal: received) }
    }
}
