import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hosts of the test's own, on one machine: a network namespace per host, each with a veth
/// into a bridge in one more namespace, on 10.78.X.0/24 — so broadcasts cross between hosts as
/// on an office network. Made with `ip` (iproute2) as root, removed when released.
final class NetworkLab {
    static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var isAvailable: Bool { getuid() == 0 && ip != nil }

    let prefix: String
    let hosts: [String]
    let subnet: Int

    /// `ipv4: false`: the hosts have IPv6 link-local addresses only.
    init(hosts count: Int, ipv4: Bool = true) throws {
        let tag = String(UInt32.random(in: 0..<0xFFFFF), radix: 36)
        let prefix = "fn\(tag)"
        self.prefix = prefix
        hosts = (0..<count).map { "\(prefix)h\($0)" }
        subnet = Int.random(in: 1...250)
        let bridge = "\(prefix)br"
        do {
            try Self.ip("netns", "add", bridge)
            try Self.ip("-n", bridge, "link", "add", "br0", "type", "bridge")
            try Self.ip("-n", bridge, "link", "set", "br0", "up")
            for (index, host) in hosts.enumerated() {
                try Self.ip("netns", "add", host)
                try Self.ip("-n", host, "link", "set", "lo", "up")
                try Self.ip("link", "add", "\(prefix)a\(index)", "type", "veth", "peer", "name", "\(prefix)b\(index)")
                try Self.ip("link", "set", "\(prefix)a\(index)", "netns", host)
                try Self.ip("link", "set", "\(prefix)b\(index)", "netns", bridge)
                try Self.ip("-n", bridge, "link", "set", "\(prefix)b\(index)", "master", "br0")
                try Self.ip("-n", bridge, "link", "set", "\(prefix)b\(index)", "up")
                if ipv4 { try Self.ip("-n", host, "addr", "add", address(index) + "/24", "brd", "+", "dev", "\(prefix)a\(index)") }
                try Self.ip("-n", host, "link", "set", "\(prefix)a\(index)", "up")
            }
            if !ipv4 { try waitForLinkLocal() }
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    func address(_ host: Int) -> String { "10.78.\(subnet).\(host + 1)" }

    /// A new IPv6 address is tentative until duplicate detection ends (about a second): wait.
    func waitForLinkLocal() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let tentative = try hosts.contains { host in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: Self.ip!)
                process.arguments = ["-n", host, "-6", "addr", "show", "tentative"]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return !output.isEmpty
            }
            if !tentative { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw SandboxError("IPv6 link-local addresses stayed tentative")
    }

    /// `fieldnote ARGUMENTS…` inside host `index`, left running.
    func start(_ index: Int, _ arguments: [String]) throws -> RunningProcess {
        try RunningProcess(["netns", "exec", hosts[index], FieldnoteProcess.executable.path] + arguments,
                           executable: URL(fileURLWithPath: Self.ip!))
    }

    /// `fieldnote ARGUMENTS…` inside host `index`, to its end.
    func run(_ index: Int, _ arguments: [String]) throws -> FieldnoteProcess.Result {
        try FieldnoteProcess.run(URL(fileURLWithPath: Self.ip!), ["netns", "exec", hosts[index], FieldnoteProcess.executable.path] + arguments)
    }

    /// Runs `body` inside host `index`, on a thread of its own moved into the host's network
    /// namespace (only that thread moves; sockets it opens stay there), and returns its result.
    func inside<T: Sendable>(_ index: Int, _ body: @escaping @Sendable () throws -> T) throws -> T {
        typealias SetNamespace = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "setns") else { throw SandboxError("setns is not available") }
        let setNamespace = unsafeBitCast(symbol, to: SetNamespace.self)
        let descriptor = open("/var/run/netns/\(hosts[index])", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SandboxError("cannot open the namespace of \(hosts[index])") }
        defer { close(descriptor) }
        let host = hosts[index]
        let outcome = LockedOutcome<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            guard setNamespace(descriptor, 0x4000_0000 /* CLONE_NEWNET */) == 0 else {
                return outcome.set(.failure(SandboxError("cannot enter \(host): \(String(cString: strerror(errno)))")))
            }
            outcome.set(Result { try body() })
        }
        thread.start()
        done.wait()
        return try outcome.get()
    }

    private func remove() {
        for name in hosts + ["\(prefix)br"] { try? Self.ip("netns", "del", name) }
    }

    @discardableResult
    static func ip(_ arguments: String...) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ip!)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SandboxError("ip \(arguments.joined(separator: " ")) failed (\(process.terminationStatus))") }
        return process.terminationStatus
    }
}

/// A thread's result handed to the thread that waits for it.
///
/// Sendable: `result` is only touched with `lock` held.
private final class LockedOutcome<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ result: Result<T, any Error>) { lock.withLock { self.result = result } }
    func get() throws -> T { try lock.withLock { result }!.get() }
}
