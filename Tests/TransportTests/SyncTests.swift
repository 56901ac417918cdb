import Foundation
import Testing
import Storage
import SyncCore
@testable import Transport

@Suite("Sync over TLS on loopback")
struct SyncTests {
    @Test func oneSideEmptyConverges() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        for index in 0..<20 { try a.store.addNote(text: "Caseload note \(index)", tags: ["caseload"]) }
        let summary = try a.serving { port in try b.sync(port: port) }
        #expect(summary.spaces == [.evidence, .team])
        #expect(summary.sent.ops == 0)
        #expect(try summary.received.ops == a.ops().count)
        #expect(try summary.received.applied == a.ops().count)
        #expect(try b.texts() == a.texts())
        #expect(try b.texts().count == 20)
        #expect(try sortedIDs(b.ops()) == sortedIDs(a.ops()))
        #expect(summary.peer == a.id)
        #expect(summary.peerName == "alex")
    }

    @Test func bothWithNotesConvergeAndRerunSendsNothing() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try a.store.addNote(text: "Supervision cancelled again")
        try a.store.addNote(text: "Evidence from A", space: .evidence)
        try b.store.addNote(text: "Referral screened by agency staff", fields: ["caseload": .int(31)])
        let reports = Reports()
        try a.serving(reports: reports) { port in
            let first = try b.sync(port: port)
            #expect(first.sent.ops > 0 && first.received.ops > 0)
            #expect(try a.texts() == b.texts())
            #expect(try a.texts(.evidence) == ["Evidence from A"])
            #expect(try b.texts(.evidence) == ["Evidence from A"])
            #expect(try a.store.versionVectors() == b.store.versionVectors())

            let again = try b.sync(port: port)
            #expect(again.sent.ops == 0)
            #expect(again.received.ops == 0)
            #expect(again.sent.batches == 0 && again.received.batches == 0)
        }
        let serverSide = reports.waitFor(2)
        #expect(serverSide.count == 2)
        #expect(serverSide.allSatisfy { (try? $0.result.get()) != nil })
        #expect(serverSide.first?.peer == b.id)
    }

    /// Both edit the same note's body offline; after one sync each side holds both edits.
    @Test func concurrentEditsOfOneBodyMerge() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        let note = try a.store.addNote(text: "Visit went fine.")
        try a.serving { port in try b.sync(port: port) }
        try a.store.editText(note: note, newText: "Visit went fine. Mother present.")
        try b.store.editText(note: note, newText: "Home visit went fine.")
        try a.serving { port in try b.sync(port: port) }
        let merged = try a.store.note(note).text
        #expect(merged == (try b.store.note(note).text))
        #expect(merged == "Home visit went fine. Mother present.")
    }

    /// A→B then B→C: C gets A's notes though it never met A; every peer stores every op.
    @Test func syncIsTransitive() throws {
        let temporary = TemporaryDirectory()
        let a = try Device("alex", in: temporary)
        let b = try Device("bo", in: temporary)
        let c = try Device("cai", in: temporary)
        try a.trusts(b); try b.trusts(a)
        try b.trusts(c); try c.trusts(b)
        try a.store.addNote(text: "Written on A")
        try a.serving { port in try b.sync(port: port) }
        try c.serving { port in try b.sync(port: port) }
        #expect(try c.texts() == ["Written on A"])
        #expect(try sortedIDs(c.ops()) == sortedIDs(a.ops()))
        // And nothing new on a second round either way.
        let again = try c.serving { port in try b.sync(port: port) }
        #expect(again.sent.ops == 0 && again.received.ops == 0)
    }

    /// The rep's device is granted `evidence` only: no `team` op ever reaches its store, whatever
    /// the rep's own trust list offers.
    @Test func evidenceOnlyDeviceNeverReceivesTeamOps() throws {
        let temporary = TemporaryDirectory()
        let worker = try Device("worker", in: temporary)
        let rep = try Device("rep", in: temporary)
        try worker.trusts(rep, [.evidence])
        try rep.trusts(worker, [.team, .evidence])
        try worker.store.addNote(text: "Child seen at home, case details")
        try worker.store.addNote(text: "Caseload 31, week 12", space: .evidence)
        try rep.store.addNote(text: "Rep's own team note")
        let summary = try worker.serving { port in try rep.sync(port: port) }
        #expect(summary.spaces == [.evidence])
        #expect(try rep.ops(.team).allSatisfy { $0.id.replica == rep.store.replica })
        #expect(try rep.texts(.team) == ["Rep's own team note"])
        #expect(try rep.texts(.evidence) == ["Caseload 31, week 12"])
        #expect(try worker.texts(.team) == ["Child seen at home, case details"])
        #expect(try rep.store.versionVector(.team)[worker.store.replica] == 0)
        // The server direction too: the rep serving, the worker syncing.
        try rep.serving { port in try worker.sync(port: port) }
        #expect(try rep.texts(.team) == ["Rep's own team note"])
    }

    /// A read-only grant: the peer receives the space; its own ops for it are not taken, and if it
    /// sends them anyway they are refused with read_only and nothing of the batch is applied.
    @Test func readOnlyGrantRefusesThePeersOps() throws {
        let temporary = TemporaryDirectory()
        let a = try Device("alex", in: temporary)
        let b = try Device("bo", in: temporary)
        try a.trusts(b, [.team, .evidence], readOnly: [.team])
        try b.trusts(a, [.team, .evidence])
        try a.store.addNote(text: "From A")
        try b.store.addNote(text: "From B")
        let reports = Reports()
        try a.serving(reports: reports) { port in
            // A well-behaved client does not send what the server will not take.
            let summary = try b.sync(port: port)
            #expect(summary.sent.ops == 0)
            #expect(try b.texts() == ["From A", "From B"])
            #expect(try a.texts() == ["From A"])

            // One that sends anyway, in its closing turn (evidence, read-write, gives it one), is
            // refused, and nothing is applied.
            #expect(try ScriptedClient.refusalOfClosingBatch(b, port: port, offering: [.team, .evidence], sending: .team) == .readOnly)
            #expect(try a.texts() == ["From A"])
            #expect(try a.store.versionVector(.team)[b.store.replica] == 0)
        }
        #expect(reports.waitFor(2).last.map { if case .failure(let error) = $0.result { error.code == .readOnly } else { false } } == true)
    }

    /// Ops for a space the receiver does not grant at all are refused with space_not_granted.
    @Test func ungrantedSpaceIsRefused() throws {
        let temporary = TemporaryDirectory()
        let a = try Device("alex", in: temporary)
        let b = try Device("bo", in: temporary)
        try a.trusts(b, [.evidence])
        try b.trusts(a, [.team, .evidence])
        try b.store.addNote(text: "Team secret")
        try a.serving { port in
            // Offered in B's HELLO but not in A's: not exchanged, so B sends nothing of it.
            let summary = try b.sync(port: port)
            #expect(summary.spaces == [.evidence])
            #expect(summary.offered == [.evidence, .team] && summary.peerOffered == [.evidence])
            // A hostile B that sends it anyway is refused with space_not_granted.
            #expect(try ScriptedClient.refusalOfClosingBatch(b, port: port, offering: [.team, .evidence], sending: .team) == .spaceNotGranted)
        }
        #expect(try a.texts() == [])
    }

    @Test func untrustedClientIsRefusedInTheHandshake() throws {
        let temporary = TemporaryDirectory()
        let a = try Device("alex", in: temporary)
        let stranger = try Device("stranger", in: temporary)
        try stranger.trusts(a)   // the stranger trusts A; A does not trust the stranger
        try a.store.addNote(text: "Private")
        let reports = Reports()
        try a.serving(reports: reports) { port in
            do {
                try stranger.sync(port: port)
                Issue.record("an untrusted client was served")
            } catch let error as TransportError {
                #expect(error.code == .handshakeFailed)
            }
        }
        let report = try #require(reports.waitFor(1).first)
        guard case .failure(let error) = report.result else { Issue.record("served"); return }
        #expect(error.code == .notTrusted)
        #expect(report.peer == stranger.id)
        #expect(try stranger.texts() == [])
    }

    @Test func untrustedServerIsRefusedByTheClient() throws {
        let temporary = TemporaryDirectory()
        let a = try Device("alex", in: temporary)
        let b = try Device("bo", in: temporary)
        try a.trusts(b)   // A trusts B, B does not trust A: B as client refuses A's certificate
        try a.store.addNote(text: "Private")
        try a.serving { port in
            do {
                try b.sync(port: port)
                Issue.record("synced with an untrusted server")
            } catch let error as TransportError {
                #expect(error.code == .notTrusted)
            }
        }
        #expect(try b.texts() == [])
    }

    @Test func connectionToItselfIsRefused() throws {
        let temporary = TemporaryDirectory()
        let a = try Device("alex", in: temporary)
        try a.trust.add(a.id, name: "me", spaces: [.team: .readWrite])
        try a.serving { port in
            do {
                try a.sync(port: port)
                Issue.record("synced with itself")
            } catch let error as TransportError {
                #expect(error.code == .notTrusted || error.code == .handshakeFailed || error.code == .selfConnection)
            }
        }
    }

    @Test func unreachablePeerIsReported() throws {
        let temporary = TemporaryDirectory()
        let (a, _) = try pair(temporary)
        let port = try a.serving { port in port }   // stopped: nothing listens there now
        do {
            try a.sync(port: port)
            Issue.record("connected to nothing")
        } catch {
            #expect(error.code == .unreachable)
        }
    }

    @Test func thousandNotesSyncAndFigures() throws {
        let temporary = TemporaryDirectory()
        let (a, b) = try pair(temporary)
        try a.store.addNotes((0..<1000).map { NoteDraft(text: "Note \($0): caseload too high, supervision cancelled", tags: ["caseload"]) })
        let clock = ContinuousClock()
        var summary: SyncSummary! = nil
        var noop: SyncSummary! = nil
        let elapsed = try clock.measure {
            summary = try a.serving { port in try b.sync(port: port) }
        }
        let noopElapsed = try clock.measure {
            noop = try a.serving { port in try b.sync(port: port) }
        }
        #expect(try b.store.notes(limit: nil).count == 1000)
        #expect(noop.received.ops == 0)
        print("figures: 1k notes (\(summary.received.ops) ops, \(summary.received.batches) batches, \(summary.received.bytes) bytes received) synced in \(summary.duration) (\(elapsed) with server start/stop); no-op sync \(noop.duration) (\(noopElapsed))")
    }
}
