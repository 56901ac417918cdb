import SyncCore

/// Two session state machines joined by an in-memory pipe: each direction a FIFO of messages,
/// as TCP delivers them, with one seeded fault at a message boundary. The scheduler steps a side
/// chosen at random, so each run interleaves the two sides differently; a message still arrives
/// only after it was sent, so the clocks (in half round trips) come out the same every time.
struct PipeSession {
    var client: PipeSide
    var server: PipeSide
    let fault: PipeFault
    private(set) var messages: [String] = []
    private var toServer: [(message: PipeMessage, arrives: Double)] = []
    private var toClient: [(message: PipeMessage, arrives: Double)] = []
    private var cut = false

    init(client: MemoryDevice, server: MemoryDevice, fault: PipeFault = .none, batchOps: Int = 3) {
        self.client = PipeSide(client, role: .client, peer: server.replica, batchOps: batchOps)
        self.server = PipeSide(server, role: .server, peer: client.replica, batchOps: batchOps)
        self.fault = fault
    }

    /// Runs until both sides are over; false if both wait on each other (a deadlock).
    mutating func run(using random: inout some RandomNumberGenerator) -> Bool {
        while client.outcome == nil || server.outcome == nil {
            var order = [true, false]
            if Bool.random(using: &random) { order.reverse() }
            var moved = false
            for isClient in order {
                if step(isClient) == .progressed {
                    moved = true
                    break
                }
            }
            if !moved && (client.outcome == nil || server.outcome == nil) { return false }
        }
        return true
    }

    private mutating func step(_ isClient: Bool) -> PipeSide.Step {
        var outgoing: [(PipeMessage, Double)] = []
        let send = { (message: PipeMessage, arrives: Double) in outgoing.append((message, arrives)) }
        let result: PipeSide.Step
        if isClient {
            result = client.step(inbox: &toClient, closed: cut || server.outcome != nil, send: send)
        } else {
            result = server.step(inbox: &toServer, closed: cut || client.outcome != nil, send: send)
        }
        for (message, arrives) in outgoing { deliver(message, arrives, toServer: isClient) }
        return result
    }

    private mutating func deliver(_ message: PipeMessage, _ arrives: Double, toServer: Bool) {
        messages.append("\(toServer ? "→" : "←") \(message)")
        switch fault {
        case .cut(let before) where messages.count >= before:
            cut = true
            return
        case _ where cut:
            return
        case .duplicate(let which) where messages.count == which:
            enqueue(message, arrives, toServer: toServer)
        default: break
        }
        enqueue(message, arrives, toServer: toServer)
    }

    private mutating func enqueue(_ message: PipeMessage, _ arrives: Double, toServer: Bool) {
        if toServer { self.toServer.append((message, arrives)) } else { toClient.append((message, arrives)) }
    }
}
