import Foundation
import Testing

/// The tool explains itself: every command has an abstract, an example and option help.
@Suite("fieldnote help")
struct CommandLineTests {
    @Test func helpDescribesTheTool() throws {
        let result = try FieldnoteProcess.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: fieldnote"))
        #expect(result.stdout.contains("Exit status"))
        for code in ["0  success", "1  general", "2  usage", "3  not found", "4  invalid value"] {
            #expect(result.stdout.contains(code), "exit code line \(code)")
        }
    }

    @Test func anUnknownSubcommandFailsWithAClearError() throws {
        let result = try FieldnoteProcess.run(["frobnicate"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("frobnicate"))
    }

    @Test(arguments: [
        ["init"], ["add"], ["list"], ["show"], ["edit"], ["search"], ["tag"], ["rm"], ["purge"],
        ["case"], ["case", "add"], ["case", "list"], ["case", "show"], ["fields"], ["history"], ["status"],
    ])
    func everyCommandTeachesWithAnExample(_ command: [String]) throws {
        let result = try FieldnoteProcess.run(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OVERVIEW:"))
        #expect(result.stdout.contains("fieldnote " + command.joined(separator: " ")))
        #expect(result.stdout.contains("Example"))
        if command != ["case"] && command != ["fields"] {
            #expect(result.stdout.contains("--store <dir>"))
        }
    }

    @Test func usageErrorsExitWithTwo() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run("list", "--limit", "0").status == 2)
        #expect(try sandbox.run("show").status == 2)
        #expect(try sandbox.run("tag", "0123").status == 2)
        #expect(try sandbox.run("list", "--since", "last tuesday").status == 2)
    }
}
