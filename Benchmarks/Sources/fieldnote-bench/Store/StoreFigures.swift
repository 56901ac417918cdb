import Foundation

/// The figures of one `store` run, in the order they print, as one JSON object or a table.
struct StoreFigures {
    enum Value {
        case int(Int)
        case number(Double)
        case text(String)
        case null
    }

    private(set) var entries: [(key: String, value: Value, label: String, unit: String)] = []

    mutating func add(_ key: String, _ value: Value, label: String, unit: String = "") {
        entries.append((key, value, label, unit))
    }

    /// One line of JSON. Numbers are rounded to three decimals, like the trace benchmark's.
    var json: String {
        let fields = entries.map { entry -> String in
            let value: String = switch entry.value {
            case .int(let number): "\(number)"
            case .number(let number): "\((number * 1000).rounded() / 1000)"
            case .text(let text): JSONLine.quote(text)
            case .null: "null"
            }
            return JSONLine.quote(entry.key) + ":" + value
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    var table: String {
        let width = entries.map(\.label.count).max() ?? 0
        return entries.map { entry in
            let value: String = switch entry.value {
            case .int(let number): "\(number)"
            case .number(let number): number >= 100 ? "\(Int(number.rounded()))" : "\((number * 100).rounded() / 100)"
            case .text(let text): text
            case .null: "n/a"
            }
            let unit = entry.unit.isEmpty || { if case .null = entry.value { true } else { false } }() ? "" : " " + entry.unit
            return entry.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value + unit
        }.joined(separator: "\n")
    }
}
