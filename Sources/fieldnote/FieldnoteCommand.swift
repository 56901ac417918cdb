import ArgumentParser
import Transport

@main
struct FieldnoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldnote",
        abstract: "Field notes for social work, kept on your device and synced directly with trusted colleagues.",
        version: "0.1.0",
        subcommands: []
    )
}
