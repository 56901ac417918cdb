import ArgumentParser
import Storage

struct FieldsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "List the field keys a note can carry, with their types and meanings.",
        discussion: """
            Fields record workload in the same shape for everyone, so that evidence from many \
            workers adds up. Set them with `fieldnote add --field KEY=VALUE`.

            Example:
              fieldnote fields --json
            """)

    @OptionGroup var output: OutputOptions

    func run() throws {
        if output.json {
            try JSONOutput.print(FieldCatalog.all.map(JSONOutput.fieldSpec))
            return
        }
        // Key and type on one line, the meaning indented below: meanings are too long to share a line.
        let style = Style.stdout
        let width = FieldCatalog.all.map(\.key.count).max() ?? 0
        for spec in FieldCatalog.all {
            print(style.bold(spec.key.padding(width)) + "  " + spec.type.description)
            print("    " + style.dim(spec.meaning))
        }
    }
}

extension JSONOutput {
    /// A field key: `key`, `type` (integer, number, choice, text, iso_week, date), `meaning`, and
    /// `min`/`max`, `choices` or `max_length` as the type has them.
    static func fieldSpec(_ spec: FieldSpec) -> [String: Any] {
        var object: [String: Any] = ["key": spec.key, "meaning": spec.meaning]
        switch spec.type {
        case .integer(let range):
            object["type"] = "integer"
            object["min"] = range.lowerBound
            object["max"] = range.upperBound
        case .number(let range):
            object["type"] = "number"
            object["min"] = range.lowerBound
            object["max"] = range.upperBound
        case .choice(let words):
            object["type"] = "choice"
            object["choices"] = words
        case .text(let maximumLength):
            object["type"] = "text"
            object["max_length"] = maximumLength
        case .isoWeek:
            object["type"] = "iso_week"
        case .date:
            object["type"] = "date"
        }
        return object
    }
}
