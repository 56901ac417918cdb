import Foundation
import Storage
import SyncCore
import Transport

extension StoreOptions {
    /// Opens the store (creating it if needed), this device's identity (made on first use, in the
    /// store directory) and its trust list, and runs `body` with them.
    func withDevice<T>(_ body: (Store, DeviceIdentity, TrustList) throws -> T) throws -> T {
        try withStore { store in
            let (identity, trust) = try store.device()
            return try body(store, identity, trust)
        }
    }
}

extension Store {
    /// This device's identity (made on first use, in the store directory) and its trust list.
    func device() throws -> (DeviceIdentity, TrustList) {
        let directory = location.directory
        let identity = try DeviceIdentity.loadOrCreate(in: directory)
        if identity.wasCreated { Terminal.note("created this device's identity in \(directory.path)") }
        guard identity.replica == replica else {
            throw CommandFailure("this store's replica id is not bound to this device's key (it was made by an older fieldnote), so peers would refuse its notes",
                                 hint: "use a new store directory (--store DIR): this version makes stores whose notes peers accept")
        }
        return (identity, try TrustList(directory: directory))
    }
}

enum SyncParse {
    /// `team,evidence` (repeatable) as a set of checked space names (exit 4 when malformed).
    static func spaces(_ lists: [String]) throws -> [SpaceID] {
        var spaces: [SpaceID] = []
        for list in lists {
            for name in list.split(separator: ",") {
                let name = name.trimmingCharacters(in: .whitespaces)
                if name.isEmpty { continue }
                let space = try SpaceID(name)
                if !spaces.contains(space) { spaces.append(space) }
            }
        }
        return spaces
    }

    /// `HOST:PORT`, `HOST` (port 7420), `[::1]:PORT`.
    static func endpoint(_ text: String, defaultPort: UInt16 = 7420) throws -> (host: String, port: UInt16) {
        func bad(_ why: String) -> CommandFailure {
            CommandFailure("\"\(text)\" is not a peer address: \(why) (expected HOST:PORT, e.g. 10.0.0.7:7420)", status: .invalidValue)
        }
        var host = text
        var portText: String? = nil
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw bad("a \"[\" without its \"]\"") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.first == ":" else { throw bad("expected \":\" after \"]\"") }
                portText = String(rest.dropFirst())
            }
        } else if let colon = text.lastIndex(of: ":") {
            guard text.firstIndex(of: ":") == colon else { throw bad("write an IPv6 address in brackets, [::1]:7420") }
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty else { throw bad("the host is missing") }
        guard let portText else { return (host, defaultPort) }
        guard let port = UInt16(portText), port > 0 else { throw bad("the port must be a number from 1 to 65535") }
        return (host, port)
    }
}

enum Units {
    /// `512 B`, `3.4 KB`, `12.1 MB`.
    static func bytes(_ count: Int) -> String {
        if count < 1000 { return "\(count) B" }
        if count < 1_000_000 { return String(format: "%.1f KB", Double(count) / 1000) }
        return String(format: "%.1f MB", Double(count) / 1_000_000)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// `45 ms`, `1.23 s`.
    static func time(_ duration: Duration) -> String {
        let ms = milliseconds(duration)
        return ms < 1000 ? String(format: "%.0f ms", ms) : String(format: "%.2f s", ms / 1000)
    }

    static func plural(_ count: Int, _ word: String) -> String { "\(Self.count(count)) \(word)\(count == 1 ? "" : "s")" }

    /// `950`, `10,500`, `1,204,311`: counts in the text a person reads (`--json` prints plain numbers).
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}

extension Traffic {
    var json: [String: Any] { ["ops": ops, "batches": batches, "applied": applied, "bytes": bytes] }
}

extension SyncSummary {
    /// The summary as `sync --json` and `demo --json` print it.
    var json: [String: Any] {
        [
            "peer": peer.description,
            "peer_name": peerName,
            "protocol_version": version,
            "spaces": spaces.map(\.name),
            "sent": sent.json,
            "received": received.json,
            "duration_ms": (Units.milliseconds(duration) * 1000).rounded() / 1000,
            "faulty_replicas": faulty.map { ["space": $0.space.name, "replica": $0.replica.hex, "seq": $0.seq] as [String: Any] },
        ]
    }

    /// One line per device caught signing two histories in this session (also kept for `status`).
    func faultyLines(style: Style) -> [String] {
        faulty.map { entry in
            style.dim("  faulty    ") + style.red("replica \(entry.replica.hex) signed two different changes at \(entry.space.name) #\(entry.seq); its second history was refused")
        }
    }

    /// `sent 12 ops (3.4 KB), received 30 ops (8.1 KB, 30 new) in 45 ms`.
    var line: String {
        "sent \(Units.plural(sent.ops, "op")) (\(Units.bytes(sent.bytes))), "
            + "received \(Units.plural(received.ops, "op")) (\(Units.bytes(received.bytes)), \(Units.count(received.applied)) new) "
            + "in \(Units.time(duration))"
    }
}
