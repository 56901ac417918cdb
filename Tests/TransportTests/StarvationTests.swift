import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport
#if canImport(Glibc)
import Glibc
#endif

/// Fair service (Protocol.md 2.6): trusted devices that only trickle and strangers that stall
/// in their handshake cannot keep an honest device from syncing.
@Suite("Fair service", .serialized)
struct StarvationTests {
    /// A flag and counters shared with the attacking threads.
    ///
    /// Sendable: every stored property is touched only with `lock` held.
    final class Attack: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private var counts: [String: Int] = [:]
        private var running = 0

        var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
        func count(_ what: String) { lock.lock(); counts[what, default: 0] += 1; lock.unlock() }
        func count(of what: String) -> Int { lock.lock(); defer { lock.unlock() }; return counts[what] ?? 0 }

        /// Runs `body` on a thread of its own until `stop()`.
        func loop(_ body: @escaping @Sendable (Attack) -> Void) {
            lock.lock(); running += 1; lock.unlock()
            Thread { [self] in
                while !isStopped { body(self) }
                lock.lock(); running -= 1; lock.unlock()
            }.start()
        }

        /// Stops every loop and waits for them to end.
        func stop() {
            lock.lock(); stopped = true; lock.unlock()
            while true {
                lock.lock(); let left = running; lock.unlock()
                if left == 0 { return }
                usleep(10_000)
            }
        }
    }

    static func frame(_ type: MessageType, _ body: [UInt8]) -> [UInt8] { Frame.encode(type, body) }

    /// Reads one frame, its length checked as the server checks it.
    static func readFrame(_ stream: TLSStream) throws -> (type: UInt8, body: [UInt8]) {
        var header = [UInt8](repeating: 0, count: 5)
        try stream.read(into: &header, at: 0, count: 5)
        let length = try Frame.bodyLength(header, limit: SyncProtocol.maxFrameBytes)
        var body = [UInt8](repeating: 0, count: length - 1)
        try stream.read(into: &body, at: 0, count: length - 1)
        return (header[4], body)
    }

    /// A trusted device's session, opened by hand: TLS, then HELLO for `team`, answered.
    static func openSession(_ device: Device, port: UInt16) throws -> TLSStream {
        try openSessionReadingHello(device, port: port).0
    }

    /// Sends BATCH `number` holding `ops` and reads its ACK.
    static func sendBatch(_ stream: TLSStream, _ number: UInt64, _ ops: [Op] = [], proofs: [ChainProof] = []) throws {
        let payload = OpCodec.encode(OpBatch(ops: ops))
        try stream.write(frame(.batch, BatchHeader.encode(number: number, space: .team, proofs: proofs, payload: payload)))
        let answer = try readFrame(stream)
        guard answer.type == MessageType.ack.rawValue else { throw ErrorMessage.decode(answer.body) }
    }

    /// The error `sync` ends with, or nil when it succeeds.
    static func failure(_ sync: () throws(TransportError) -> SyncSummary) -> TransportError? {
        do { _ = try sync(); return nil } catch { return error }
    }

    /// A trusted device that holds a session and sends an empty BATCH every `interval`, for
    /// ever; when cut off, it connects again.
    static func trickle(_ device: Device, port: UInt16, every interval: useconds_t, _ attack: Attack) {
        attack.loop { attack in
            guard let stream = try? openSession(device, port: port) else { usleep(20_000); return }
            defer { stream.close() }
            attack.count("trusted sessions")
            var number: UInt64 = 0
            while !attack.isStopped {
                number += 1
                do { try sendBatch(stream, number) } catch { return }
                usleep(interval)
            }
        }
    }

    /// A stranger that connects, sends nothing (or the first bytes of a TLS record), and waits
    /// for the server to drop it — or gives up after `holding` — then connects again.
    static func stall(port: UInt16, partial: Bool, holding: Duration = .seconds(1), _ attack: Attack) {
        attack.loop { attack in
            guard let descriptor = try? Sockets.connect(host: "127.0.0.1", port: port, timeout: .seconds(2)) else {
                usleep(20_000)
                return
            }
            defer { close(descriptor) }
            attack.count("strangers")
            if partial {
                var record: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]
                _ = send(descriptor, &record, record.count, Int32(MSG_NOSIGNAL))
            }
            let end = ContinuousClock.now + holding
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            while ContinuousClock.now < end && !attack.isStopped && poll(&poller, 1, 100) == 0 {}
        }
    }

    /// A trusted device that holds a session and writes one real note every `interval`, sent
    /// with its proof: progress by every rule, yet a thin session; when cut off, it connects again.
    static func trickleRealOps(_ device: Device, port: UInt16, every interval: useconds_t, _ attack: Attack) {
        attack.loop { attack in
            guard let (stream, theirs) = try? openSessionReadingHello(device, port: port) else { usleep(20_000); return }
            defer { stream.close() }
            attack.count("trusted sessions")
            let prover = ChainProver(store: device.store, identity: device.identity)
            var held = theirs.spaces.first { $0.space == .team }?.vector ?? VersionVector()
            var number: UInt64 = 0
            while !attack.isStopped {
                number += 1
                do {
                    try device.store.addNote(text: "real op \(number)")
                    let ops = try device.store.ops(in: .team, above: held, limit: 1_000).ops
                    try prover.signOwnOps(in: .team)
                    let proved = try prover.prove(ops, space: .team)
                    try sendBatch(stream, number, proved.ops, proofs: proved.proofs)
                    held = try device.store.versionVector(.team)
                } catch { return }
                usleep(interval)
            }
        }
    }

    /// `openSession`, returning the server's HELLO too.
    static func openSessionReadingHello(_ device: Device, port: UInt16) throws -> (TLSStream, Hello) {
        let stream = try SyncClient.connect(identity: device.identity, trust: device.trust, host: "127.0.0.1", port: port, limits: .default)
        stream.setTimeouts(.seconds(15))
        try stream.handshake()
        // An empty base, which any server covers: the batches that follow are its opening turn.
        let hello = Hello(minVersion: SyncProtocol.minVersion, maxVersion: SyncProtocol.maxVersion, replica: device.store.replica,
                          maxFrameBytes: 1 << 20, spaces: [HelloSpace(space: .team, accepts: true, vector: VersionVector(), base: VersionVector())])
        try stream.write(frame(.hello, hello.encode()))
        let answer = try readFrame(stream)
        guard answer.type == MessageType.hello.rawValue else { throw ErrorMessage.decode(answer.body) }
        return (stream, try Hello.decode(answer.body))
    }

    /// Six honest syncs while eight trusted devices run `trickler` and 16 strangers stall their
    /// handshakes in a loop, with the production defaults: each must complete within 5 s, and
    /// some trickling session must have given its slot up.
    static func honestSyncsUnderAttack(
        _ what: String, trickler: (Device, UInt16, Attack) -> Void
    ) throws {
        let temporary = TemporaryDirectory()
        let (server, honest) = try pair(temporary)
        let tricklers = try (0..<8).map { try Device("trickler-\($0)", in: temporary) }
        for trickler in tricklers {
            try server.trusts(trickler)
            try trickler.trusts(server)
        }
        let attack = Attack()
        let reports = Reports()
        let seconds: [Double] = try server.serving(limits: .default, reports: reports) { port in
            defer { attack.stop() }
            for device in tricklers { trickler(device, port, attack) }
            for index in 0..<16 { Self.stall(port: port, partial: index % 2 == 1, attack) }
            let settle = Date().addingTimeInterval(10)
            while attack.count(of: "trusted sessions") < 8 && Date() < settle { usleep(10_000) }
            #expect(attack.count(of: "trusted sessions") >= 8, "the trickling peers never all got a session")
            return try (0..<6).map { round in
                try server.store.addNote(text: "round \(round)")
                let start = Date()
                try honest.sync(port: port)
                let took = Date().timeIntervalSince(start)
                #expect(try honest.texts().contains("round \(round)"))
                usleep(300_000)
                return took
            }
        }
        print("starvation: 6 honest syncs under 8 trusted peers \(what) and 16 stalling strangers took "
              + seconds.map { String(format: "%.2f s", $0) }.joined(separator: ", ")
              + "; \(attack.count(of: "trusted sessions")) trickling sessions and \(attack.count(of: "strangers")) stranger connections opened")
        for (round, took) in seconds.enumerated() { #expect(took < 5, "honest sync \(round) took \(took) s") }
        let cut = reports.all.filter {
            if case .failure(let error) = $0.result { error.message.contains("while another device waited") } else { false }
        }
        #expect(!cut.isEmpty, "no trickling session gave its slot up")
    }

    @Test func anHonestSyncCompletesWhileTrustedPeersTrickleAndStrangersStall() throws {
        try Self.honestSyncsUnderAttack("sending empty batches") { device, port, attack in
            Self.trickle(device, port: port, every: 200_000, attack)
        }
    }

    /// Each trickling device makes real progress — a new note every 300 ms — but moves a few
    /// hundred bytes a second: before the thin-session rule it kept its slot for good.
    @Test func anHonestSyncCompletesWhileTrustedPeersWriteARealOpNowAndThen() throws {
        try Self.honestSyncsUnderAttack("writing a real note every 300 ms") { device, port, attack in
            Self.trickleRealOps(device, port: port, every: 300_000, attack)
        }
    }

    /// More strangers than handshake places: the oldest stalled handshake gives its place up, so
    /// an honest device still gets through the listen queue.
    @Test func strangersBeyondTheHandshakePlacesGiveWayToAnHonestDevice() throws {
        let temporary = TemporaryDirectory()
        let (server, honest) = try pair(temporary)
        try server.store.addNote(text: "Through the crowd")
        var limits = SyncLimits()
        limits.maxHandshakes = 4
        let attack = Attack()
        let reports = Reports()
        let seconds = try server.serving(limits: limits, reports: reports) { port in
            defer { attack.stop() }
            for _ in 0..<12 { Self.stall(port: port, partial: false, holding: .seconds(30), attack) }
            let settle = Date().addingTimeInterval(5)
            while attack.count(of: "strangers") < 12 && Date() < settle { usleep(10_000) }
            let start = Date()
            try honest.sync(port: port)
            return Date().timeIntervalSince(start)
        }
        print("starvation: an honest sync behind 12 stalling strangers and 4 handshake places took \(String(format: "%.2f", seconds)) s")
        #expect(seconds < 8, "took \(seconds) s")
        #expect(try honest.texts() == ["Through the crowd"])
        let evicted = reports.all.filter {
            if case .failure(let error) = $0.result { error.message.contains("every handshake place was taken") } else { false }
        }
        #expect(!evicted.isEmpty, "no stalled handshake gave its place up")
    }

    @Test func aSecondSessionFromTheSameDeviceIsRefusedWithBusy() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try a.store.addNote(text: "For bo")
        try a.serving { port in
            let first = try Self.openSession(b, port: port)
            let refusal = Self.failure { () throws(TransportError) in try b.sync(port: port) }
            let error = try #require(refusal, "a second session of one device was served")
            #expect(error.code == .busy && error.fromPeer, "\(error)")
            #expect(error.message.contains("already running here"), "\(error)")
            first.close()
            // Once the first has ended, the device is served again.
            let deadline = Date().addingTimeInterval(5)
            var again: TransportError?
            repeat {
                usleep(50_000)
                again = Self.failure { () throws(TransportError) in try b.sync(port: port) }
            } while again != nil && Date() < deadline
            #expect(again == nil, "\(String(describing: again))")
            #expect(try b.texts() == ["For bo"])
        }
    }

    @Test func aSessionThatMakesNoProgressIsCutAtTheProgressDeadline() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try b.store.addNote(text: "Sent once, then again and again")
        // Signed by b, as every batch must be (Protocol.md 2.8); the same proof goes with every resend.
        let prover = ChainProver(store: b.store, identity: b.identity)
        try prover.signOwnOps(in: .team)
        let (ops, proofs) = try prover.prove(try b.ops(), space: .team)
        var limits = SyncLimits()
        limits.progressTimeout = .seconds(1)
        let reports = Reports()
        let seconds = try a.serving(limits: limits, reports: reports) { port in
            let stream = try Self.openSession(b, port: port)
            defer { stream.close() }
            // Progress: ops new to the server. Then the same ops again (duplicates) and empty
            // batches, each well within the frame deadline: none of them is progress.
            try Self.sendBatch(stream, 1, ops, proofs: proofs)
            let start = Date()
            var number: UInt64 = 1
            while Date().timeIntervalSince(start) < 10 {
                number += 1
                do { try Self.sendBatch(stream, number, number % 2 == 0 ? ops : [], proofs: number % 2 == 0 ? proofs : []) } catch { break }
                usleep(100_000)
            }
            return Date().timeIntervalSince(start)
        }
        #expect(seconds > 0.8 && seconds < 3, "cut after \(seconds) s")
        #expect(try a.texts() == ["Sent once, then again and again"])
        let report = try #require(reports.waitFor(1).first)
        guard case .failure(let error) = report.result else { Issue.record("served"); return }
        #expect(error.code == .timedOut && error.message.contains("made no progress for 1000 ms"), "\(error)")
    }

    @Test func aDeviceThatFindsEverySlotTakenHearsBusy() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        let c = try Device("cy", in: temporary)
        try a.trusts(c)
        try c.trusts(a)
        var limits = SyncLimits()
        limits.maxSessions = 1
        limits.slotWait = .milliseconds(500)
        limits.yieldAfter = .seconds(30)
        try a.serving(limits: limits) { port in
            let holder = try Self.openSession(b, port: port)
            defer { holder.close() }
            let refusal = Self.failure { () throws(TransportError) in try c.sync(port: port) }
            let error = try #require(refusal, "served with every slot taken")
            #expect(error.code == .busy && error.message.contains("every session slot"), "\(error)")
        }
    }
}
