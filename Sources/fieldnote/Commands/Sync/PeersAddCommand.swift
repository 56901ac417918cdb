import ArgumentParser
import Foundation
import SyncCore
import Transport

struct PeersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Trust a device, or change what a trusted device is granted.",
        discussion: """
            The id is what `fieldnote id` prints on the other device, with or without dashes, in \
            any case of letters. A mistyped character is caught by the check characters.

            --spaces replaces the device's grants: list every space it should have. Each must \
            exist here: team, evidence, or one made with `fieldnote spaces add`. Adding a device \
            again replaces its grants and marks (--rep, --mine) too.

            --rep marks a union rep's device. Evidence records you share are sealed so that only \
            the reps' devices can read them; colleagues' devices pass them on unread. This \
            device learns the rep's key at a sync with it, or with any colleague who marked the \
            same device as rep (the key proves itself against the id you typed), and seals to it \
            from then on. You need not sync with the rep yourself.

            --mine marks another device of yours (run it on both): the two count as one person \
            in a rep's report, and share the secret that needs when they sync. Mark them and sync \
            them before both share: in a month where both shared before, you count twice. Mark \
            only your own devices: the secret links your records across months for whoever holds it.

            Examples:
              fieldnote peers add MFZWI3D-BONSGYC-… --name Ben
              fieldnote peers add NB2HI4D-… --name Rosa --spaces evidence --rep
              fieldnote peers add OBQXG43-… --name "my phone" --spaces team,evidence --mine
              fieldnote peers add PBQXG43-… --name Audit --spaces evidence --read-only
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The other device's id, as `fieldnote id` prints it there.", valueName: "device-id"))
    var device: String

    @Option(help: ArgumentHelp("What to call the device here (unique, up to 64 characters).", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The spaces to share, comma-separated (default: team).", valueName: "spaces"))
    var spaces: [String] = []

    @Flag(help: "The device receives these spaces, but its changes to them count for nothing here, even passed on by a colleague.")
    var readOnly = false

    @Flag(help: "A union rep's device: evidence you share is sealed so that only reps' devices can read it.")
    var rep = false

    @Flag(help: "Another device of yours: the two count as one person in reports (run it on both).")
    var mine = false

    func validate() throws {
        if rep && mine {
            throw ValidationError("--rep and --mine exclude each other: a rep's device is not one of yours")
        }
    }

    func run() throws {
        // Checked before the store is opened, so a typo changes nothing.
        let device = try PeersAddCommand.parse(self.device)
        var granted = try SyncParse.spaces(spaces)
        if granted.isEmpty { granted = [.team] }
        let access: Access = readOnly ? .readOnly : .readWrite
        try storeOptions.withDevice(knowing: granted) { store, identity, trust in
            guard device != identity.id else {
                throw CommandFailure("\(device.short)… is this device's own id; add the id `fieldnote id` prints on the other device",
                                     status: .invalidValue)
            }
            let before = try trust.peer(device)
            let peer = try trust.add(device, name: name, spaces: Dictionary(uniqueKeysWithValues: granted.map { ($0, access) }),
                                     isRep: rep, isMine: mine)
            try trust.applyGrantChange(of: device, from: before, to: peer, in: store)
            let grants = peer.sortedSpaces.map { "\($0.space.name) (\($0.access.rawValue))" }.joined(separator: ", ")
            // A grant list replaces the old one; say what it took away, which is easy to miss.
            let dropped = (before?.sortedSpaces ?? []).map(\.space).filter { peer.spaces[$0] == nil }
            let droppedText = dropped.isEmpty ? "" : "; no longer granted: " + dropped.map(\.name).joined(separator: ", ")
            let role = peer.isRep ? ", a union rep" : peer.isMine ? ", one of your devices" : ""
            print("\(before != nil ? "updated" : "trusted") \(peer.name) (\(peer.device.short))\(role): \(grants)\(droppedText)")
            if peer.isRep && peer.publicKey == nil {
                Terminal.note("evidence is sealed to \(peer.name) once this device knows its key: from a sync with it, or with a colleague who marked it as rep too")
            }
        }
    }
}

extension PeersAddCommand {
    /// The id, or a refusal that also shows which part of what was typed holds the mistake: the
    /// transport counts four check groups of 14 characters, people see eight groups of 7.
    static func parse(_ text: String) throws -> DeviceID {
        do {
            return try DeviceID(text)
        } catch {
            guard error.code == .invalidDeviceID,
                  let range = error.message.range(of: #"group [1-4] "#, options: .regularExpression),
                  let group = Int(error.message[range].dropFirst(6).dropLast()) else { throw error }
            let characters = Array(text.replacingOccurrences(of: "-", with: "").uppercased())
            guard characters.count == 56 else { throw error }
            let part = String(characters[(group - 1) * 14..<group * 14])
            let shown = part.prefix(7) + "-" + part.suffix(7)
            throw CommandFailure(CommandFailure.oneLine("\(error.message): check \"\(shown)\", groups \(group * 2 - 1) and \(group * 2) as written [\(error.code)]"),
                                 status: .invalidValue)
        }
    }
}
