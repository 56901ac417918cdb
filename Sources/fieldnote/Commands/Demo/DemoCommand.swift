import ArgumentParser
import Foundation
import Storage
import SyncCore
import Transport

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch three devices keep and sync notes over TLS, in a throwaway directory.",
        discussion: """
            Makes three devices in a temporary directory — two social workers, Asha and Ben, and \
            their union rep, Rosa — each with its own store, key and trust list. Asha and Ben \
            share the team and evidence spaces; Rosa is granted evidence only. They write notes, \
            both workers edit the same note offline, and they sync through a real server over \
            TLS 1.3 on 127.0.0.1, exactly as `serve` and `sync` do. The story is printed as it \
            happens; the directory is removed at the end unless --keep is given. Your own store \
            is not touched.

            Examples:
              fieldnote demo
              fieldnote demo --keep       # then look: fieldnote list --store DIR/ben
              fieldnote demo --json
            """)

    @OptionGroup var output: OutputOptions

    @Flag(help: "Keep the demo directory (one store per device) and print its path.")
    var keep = false

    func run() throws {
        let root = try DemoCommand.makeDirectory()
        defer { if !keep { try? FileManager.default.removeItem(at: root) } }
        let story = DemoStory(root: root, narrate: !output.json)
        let result = try story.run()
        if output.json {
            var object = result
            if keep { object["directory"] = root.path } else { object["directory"] = NSNull() }
            object["kept"] = keep
            try JSONOutput.print(object)
        } else if keep {
            print("")
            print("kept the demo's stores in \(root.path) (one directory per device); try:")
            print("  fieldnote list --store \(root.appendingPathComponent("ben").path)")
            print("  fieldnote list --store \(root.appendingPathComponent("rosa").path) --space evidence")
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
