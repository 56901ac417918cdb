import ArgumentParser
import Foundation
import SyncCore
import Transport

struct PairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pair",
        abstract: "Trust a colleague's device with a short code read aloud, instead of typing device ids.",
        discussion: """
            On one device run `fieldnote pair`: it shows a one-time code such as \
            7-orbit-hazel-anchor and waits (10 minutes unless --timeout says otherwise). Read the \
            code to your colleague, who runs `fieldnote pair CODE`: on the same network the first \
            device is found by itself; elsewhere add `--host ADDRESS` with the address it prints. The two devices check the code without sending it (SPAKE2, \
            RFC 9382: someone listening learns nothing, and someone guessing gets one try), then \
            show each other's name, device id and what each grants. Each person says y/N; only \
            when both say yes does each device trust the other. A wrong code ends the pairing on \
            both devices and trusts nothing; a code works once.

            --spaces, --read-only, --rep and --mine mean what they mean for `peers add`: what this \
            device grants the other, and what it is. --mine must be given on both devices.

            Examples:
              fieldnote pair --spaces team,evidence
              fieldnote pair 7-orbit-hazel-anchor
              fieldnote pair 7-orbit-hazel-anchor --host 10.0.0.7
              fieldnote pair --spaces evidence --rep          (pairing with your union rep)
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: ArgumentHelp("The code the other device shows; leave it out to show one here.", valueName: "code"))
    var code: String?

    @Option(help: ArgumentHelp("Where the other device waits, HOST[:PORT] (port 7421 if left out), when it cannot be found on the local network.", valueName: "host"))
    var host: String?

    @Option(help: ArgumentHelp("The address to wait on (0.0.0.0: every address).", valueName: "addr"))
    var bind = "0.0.0.0"

    @Option(help: ArgumentHelp("The port to wait on (0: any free port).", valueName: "port"))
    var port: UInt16 = PairCommand.defaultPort

    @Option(help: ArgumentHelp("The spaces to grant the other device, comma-separated (default: team).", valueName: "spaces"))
    var spaces: [String] = []

    @Flag(help: "Grant them read-only: the other device's changes count for nothing here.")
    var readOnly = false

    @Flag(help: "The other device is a union rep's: evidence you share is sealed to it.")
    var rep = false

    @Flag(help: "The other device is yours too (give --mine on both): the two count as one person.")
    var mine = false

    @Option(help: ArgumentHelp("What to call the other device here (default: the name it gives).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("How long to wait, in seconds (default 600).", valueName: "seconds"))
    var timeout: Int = 600

    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Trust the other device without asking (both people still see who it is).")
    var yes = false

    static let defaultPort = DevicePairing.defaultPort

    func validate() throws {
        if rep && mine { throw ValidationError("--rep and --mine exclude each other: a rep's device is not one of yours") }
        if code == nil && host != nil { throw ValidationError("--host goes with a code: `fieldnote pair CODE --host ADDRESS`") }
        guard (1...86_400).contains(timeout) else { throw ValidationError("--timeout takes 1 to 86400 seconds") }
    }

    func run() throws {
        let parsedCode: PairingCode?
        do throws(TransportError) { parsedCode = try code.map { text throws(TransportError) in try PairingCode(text) } } catch {
            throw CommandFailure(error.message, hint: "type the code exactly as the other device shows it", status: .invalidValue)
        }
        var granted = try SyncParse.spaces(spaces)
        if granted.isEmpty { granted = [.team] }
        let access: Access = readOnly ? .readOnly : .readWrite
        try storeOptions.withDevice(knowing: granted) { store, identity, trust in
            let offer = PairingOffer(publicKey: identity.publicKey, name: try store.name() ?? "fieldnote device", spaces:
                                        Dictionary(uniqueKeysWithValues: granted.map { ($0, access) }), mine: mine)
            let decide = { (theirs: PairingOffer, device: DeviceID) -> Bool in
                PairCommand.show(theirs, device: device)
                if yes { return true }
                guard Terminal.isTerminal(0) else {
                    Terminal.note("not trusting \(device.short) without an answer: stdin is not a terminal, so pass --yes")
                    return false
                }
                let calling = name.map { " as \"\(TerminalText.safe($0))\"" } ?? ""
                return Terminal.confirm("Trust \(TerminalText.safe(theirs.name)) (\(device.short))\(calling) and grant it \(SyncCommand.names(granted))?")
            }
            let result: DevicePairing.Result
            if let parsedCode {
                let (address, port) = try PairCommand.find(parsedCode, host: host)
                result = try DevicePairing.join(code: parsedCode, host: address, port: port, timeout: .seconds(timeout), offer: offer, decide: decide)
            } else {
                let fresh = PairingCode.random()
                var announcer: Announcer?
                defer { announcer?.stop() }
                result = try DevicePairing.listen(code: fresh, host: bind, port: port, timeout: .seconds(timeout), offer: offer, listening: { bound, reach in
                    PairCommand.announce(fresh, bind: bind, port: bound)
                    guard !LocalAddresses.isLoopback(bind) else { return }
                    // Tagged with the code: only who holds the code recognises the announcement.
                    announcer = Announcer(reach: reach) { window in
                        Announcement(kind: .pairing, window: window, tag: Announcement.pairingTag(fresh, window: window), port: bound)
                    }
                    announcer?.start()
                }, decide: decide)
            }
            let peerName = try PairCommand.uniqueName(name ?? result.offer.name, for: result.device, in: trust)
            let peer = try trust.add(result.device, name: peerName, spaces: Dictionary(uniqueKeysWithValues: granted.map { ($0, access) }),
                                     isRep: rep, isMine: mine, publicKey: result.offer.publicKey)
            let grants = peer.sortedSpaces.map { "\($0.space.name) (\($0.access.rawValue))" }.joined(separator: ", ")
            print("trusted \(TerminalText.safe(peer.name)) (\(peer.device.short)): \(grants)")
        }
    }
}

extension PairCommand {
    /// The code, big, and what the other person types.
    static func announce(_ code: PairingCode, bind: String, port: UInt16) {
        let addresses = LocalAddresses.isWildcard(bind) ? LocalAddresses.reachable(includeIPv6: true) : [bind]
        // An IPv4 address when there is one; an IPv6 one goes in brackets, with its port.
        let host = addresses.first { !$0.contains(":") } ?? addresses.first ?? "127.0.0.1"
        let address = host.contains(":") ? SyncParse.address(host: host, port: port) : host + (port == defaultPort ? "" : ":\(port)")
        print("pairing code: \(code)")
        print("on the other device: fieldnote pair \(code) --host \(address)")
        if !LocalAddresses.isLoopback(bind) { Terminal.note("on this network, `fieldnote pair \(code)` finds this device by itself") }
        fflush(nil)  // a script or a test waiting for the code reads it now, not at exit
        Terminal.note("waiting for one device; the code works once")
    }

    /// Where the device showing `code` waits: `--host`, or its announcement on the local network
    /// (Protocol.md 5), looked for during `discoverySeconds`.
    static func find(_ code: PairingCode, host: String?) throws -> (String, UInt16) {
        if let host { return try SyncParse.endpoint(host, defaultPort: defaultPort) }
        var found: (String, UInt16)?
        try LocalDiscovery.listen(for: .seconds(discoverySeconds)) { announcement, address in
            guard announcement.isFor(code) else { return false }
            found = (address, announcement.port)
            return true
        }
        guard let found else {
            throw CommandFailure("no device showing the code \(code) was found on this network in \(discoverySeconds) seconds",
                                 hint: "give its address: fieldnote pair \(code) --host ADDRESS (the other device prints it)", status: .unreachable)
        }
        return found
    }

    static let discoverySeconds = 8

    /// What the other device says it is, before anyone says yes.
    static func show(_ offer: PairingOffer, device: DeviceID) {
        let grants = offer.spaces.isEmpty ? "nothing" : offer.spaces.sorted { $0.key < $1.key }
            .map { "\($0.key.name) (\($0.value.rawValue))" }.joined(separator: ", ")
        Terminal.note("the other device: \(TerminalText.safe(offer.name)), device id \(device)")
        Terminal.note("it grants this device: \(grants)\(offer.mine ? "; it says both devices are yours" : "")")
    }

    /// `name`, or `name (ABCDEFG)` when another trusted device has it already.
    static func uniqueName(_ name: String, for device: DeviceID, in trust: TrustList) throws -> String {
        let clean = String(name.trimmingCharacters(in: .whitespaces).prefix(TrustList.maximumNameLength - 10))
        let taken = try trust.peers().contains { $0.device != device && $0.name.lowercased() == clean.lowercased() }
        return taken || clean.isEmpty ? "\(clean.isEmpty ? "device" : clean) (\(device.short))" : clean
    }
}
