import ArgumentParser
import Foundation

/// `fieldnote --store DIR list` as well as `fieldnote list --store DIR`, and `fieldnote
/// --no-pager list` as well as `fieldnote list --no-pager`.
///
/// People bring git's habits (`git -C DIR`, `git --no-pager log`) and put these options first;
/// swift-argument-parser gives a root command's options to the root alone, so they are taken
/// off the front of the command line here and passed on through the environment every command
/// already reads (`$FIELDNOTE_HOME`, `$FIELDNOTE_PAGER`). The same option after the command name
/// still wins.
enum LeadingOptions {
    static let usage = "fieldnote [--store DIR] [--no-pager] COMMAND …"

    static func apply(to arguments: [String]) throws -> [String] {
        var rest = arguments[...]
        while let first = rest.first {
            if first == "--no-pager" {
                setenv("FIELDNOTE_PAGER", "cat", 1)
                rest = rest.dropFirst()
            } else if first == "--store" || first.hasPrefix("--store=") {
                let directory: String
                if first == "--store" {
                    guard rest.count > 1 else { throw ValidationError("--store needs a directory: \(usage)") }
                    directory = rest[rest.startIndex + 1]
                    rest = rest.dropFirst(2)
                } else {
                    directory = String(first.dropFirst("--store=".count))
                    rest = rest.dropFirst()
                }
                guard !directory.isEmpty, !directory.hasPrefix("-") else {
                    throw ValidationError("--store needs a directory: \(usage)")
                }
                setenv("FIELDNOTE_HOME", directory, 1)
            } else {
                break
            }
        }
        return Array(rest)
    }
}

/// `--no-pager` for commands whose output can be long.
struct PagerOptions: ParsableArguments {
    @Flag(name: .customLong("no-pager"), help: "Don't send long output through $PAGER (less) at a terminal.")
    var noPager = false

    /// Starts the pager, unless turned off.
    func start() { Pager.start(enabled: !noPager) }
}
