@testable import SyncCore

/// The sessions of `sessions/transcripts.json` that complete: each turn of Protocol.md 2.4 seen
/// from the server and from the client, with the opening turn covered or not and why.
///
/// Client A (01…01) syncs with server B (02…02); C (03…03) is a third device whose ops both
/// hold. Batches hold no ops, so ACKs are all zeros: whether a batch was applied or set aside
/// shows in the step's `batch` and in whether a closing turn follows, which is what 2.4 decides.
enum FixtureTranscripts {
    typealias S = SessionScript
    typealias H = FixtureHellos
    static let (a, b, c, d) = (FixtureBatches.a, FixtureBatches.b, FixtureBatches.c, FixtureBatches.d)
    static let field = try! SpaceID("field")

    /// A chain value; two seeds give two different values, as two histories of one replica would.
    static func head(_ seed: UInt8) -> [UInt8] { H.bytes32(seed) }

    /// B's HELLO: it holds 5 ops of A and 8 of its own in team, and takes A's ops there.
    static let server = H.hello(b, [H.space(.team, [a: 5, b: 8], heads: [b: head(1)])])
    /// A's HELLO with no base: a first sync.
    static let firstClient = H.hello(a, [H.space(.team, [a: 7])])

    static func client(base: [ReplicaID: UInt64]?, _ vector: [ReplicaID: UInt64] = [a: 7, b: 8], heads: [ReplicaID: [UInt8]] = [b: head(1)],
                       accepts: Bool = true) -> Hello {
        H.hello(a, [H.space(.team, accepts: accepts, vector, heads: heads, base: base)])
    }

    static var all: [SessionScript] { completing + FixtureTranscriptRefusals.all }

    static var completing: [SessionScript] {
        [
            S(name: "server-incremental-covered", sections: ["2.4"],
              description: "A's base (A 5, B 8) is held by B, and the chain value of B at 8 agrees: both opening batches are applied, the answer is DONE alone, no closing turn.",
              role: .server, peer: a, hello: server,
              steps: [S.receive(.hello(client(base: [a: 5, b: 8]))), S.send(.hello(server)), S.apply(1), S.send(.ack(1)), S.apply(2), S.send(.ack(2)),
                      S.receive(.done(batches: 2, ops: 0)), S.send(.done(batches: 0, ops: 0))],
              outcome: .finish),
            S(name: "server-base-not-held", sections: ["2.4"],
              description: "A's base names B 9, B holds 8: the opening batch is set aside (ACK with zeros) and the closing turn follows, numbered on from the opening turn.",
              role: .server, peer: a, hello: server,
              steps: [S.receive(.hello(client(base: [a: 5, b: 9]))), S.send(.hello(server)), S.setAside(1), S.send(.ack(1)),
                      S.receive(.done(batches: 1, ops: 0)), S.send(.done(batches: 0, ops: 0)), S.apply(2), S.send(.ack(2)), S.receive(.done(batches: 1, ops: 0))],
              outcome: .finish),
            S(name: "server-chain-values-differ", sections: ["2.4", "2.8"],
              description: "Both hold 8 ops of B but announce different chain values: the opening is not covered (step 4 d), its batch is set aside, and a closing turn follows.",
              role: .server, peer: a, hello: server,
              steps: [S.receive(.hello(client(base: [a: 5], heads: [b: head(2)]))), S.send(.hello(server)), S.setAside(1), S.send(.ack(1)),
                      S.receive(.done(batches: 1, ops: 0)), S.send(.done(batches: 0, ops: 0)), S.receive(.done(batches: 0, ops: 0))],
              outcome: .finish),
            S(name: "server-read-only-opening", sections: ["2.4"],
              description: "B takes team read-only: A's opening batch is set aside, and no closing turn follows, since B accepts no space.",
              role: .server, peer: a, hello: H.hello(b, [H.space(.team, accepts: false, [a: 5, b: 8], heads: [b: head(1)])]),
              steps: [S.receive(.hello(client(base: [a: 5, b: 8]))), S.send(.hello(H.hello(b, [H.space(.team, accepts: false, [a: 5, b: 8], heads: [b: head(1)])]))),
                      S.setAside(1), S.send(.ack(1)), S.receive(.done(batches: 1, ops: 0)), S.send(.done(batches: 0, ops: 0))],
              outcome: .finish),
            S(name: "server-opening-for-a-space-not-exchanged", sections: ["2.4"],
              description: "A gives field a base, but B does not offer field: that batch is set aside, team's is applied, and no closing turn follows.",
              role: .server, peer: a, hello: server,
              steps: [S.receive(.hello(H.hello(a, [H.space(field, [a: 3], base: [a: 1]), H.space(.team, [a: 7, b: 8], base: [a: 5])]))), S.send(.hello(server)),
                      S.setAside(1, field), S.send(.ack(1)), S.apply(2), S.send(.ack(2)), S.receive(.done(batches: 2, ops: 0)), S.send(.done(batches: 0, ops: 0))],
              outcome: .finish),
            S(name: "server-empty-base", sections: ["2.4", "2.5"],
              description: "An empty base is a base (everything above nothing): B holds it, the opening batch is applied, no closing turn.",
              role: .server, peer: a, hello: server,
              steps: [S.receive(.hello(client(base: [:]))), S.send(.hello(server)), S.apply(1), S.send(.ack(1)),
                      S.receive(.done(batches: 1, ops: 0)), S.send(.done(batches: 0, ops: 0))],
              outcome: .finish),
            S(name: "server-first-sync", sections: ["2.3", "2.4"],
              description: "No base: the opening turn is DONE alone, then B's answer, then A's closing turn. A announces 16 MiB frames, taken as 8 MiB.",
              role: .server, peer: a, hello: server,
              steps: [S.receive(.hello(H.hello(a, maxFrame: 16 << 20, [H.space(.team, [a: 7])]))), S.send(.hello(server)),
                      S.receive(.done(batches: 0, ops: 0)), S.send(.done(batches: 0, ops: 0)), S.apply(1), S.send(.ack(1)), S.receive(.done(batches: 1, ops: 0))],
              outcome: .finish),
            S(name: "server-answer-batches", sections: ["2.4"],
              description: "B answers with three batches and DONE at once, then reads their ACKs; with no closing turn it finishes on the last ACK.",
              role: .server, peer: a, hello: server,
              steps: [S.receive(.hello(client(base: [a: 5, b: 8]))), S.send(.hello(server)), S.receive(.done(batches: 0, ops: 0)),
                      S.sendBatch(1), S.sendBatch(2), S.sendBatch(3), S.send(.done(batches: 3, ops: 0)),
                      S.receive(.ack(1)), S.receive(.ack(2)), S.receive(.ack(3))],
              outcome: .finish),
            S(name: "server-answer-window", sections: ["2.4"],
              description: "B answers with five batches: four may be unacknowledged, so the fifth waits for ACK 1; DONE follows the fifth at once, without waiting for ACKs.",
              role: .server, peer: a, hello: server,
              steps: [S.receive(.hello(client(base: [a: 5, b: 8]))), S.send(.hello(server)), S.receive(.done(batches: 0, ops: 0)),
                      S.sendBatch(1), S.sendBatch(2), S.sendBatch(3), S.sendBatch(4), S.receive(.ack(1)), S.sendBatch(5), S.send(.done(batches: 5, ops: 0)),
                      S.receive(.ack(2)), S.receive(.ack(3)), S.receive(.ack(4)), S.receive(.ack(5))],
              outcome: .finish),
            S(name: "client-incremental", sections: ["2.4"],
              description: "A's opening batch and DONE go with its HELLO; B's HELLO covers the base, B acknowledges and answers; no closing turn.",
              role: .client, peer: b, hello: client(base: [a: 5, b: 8]),
              steps: [S.send(.hello(client(base: [a: 5, b: 8]))), S.sendBatch(1), S.send(.done(batches: 1, ops: 0)),
                      S.receive(.hello(H.hello(b, [H.space(.team, [a: 5, b: 9])]))), S.receive(.ack(1)), S.apply(1), S.send(.ack(1)), S.receive(.done(batches: 1, ops: 0))],
              outcome: .finish),
            S(name: "client-first-sync", sections: ["2.4"],
              description: "No base: HELLO and an empty opening turn, B's HELLO and answer, then A's closing turn, which B acknowledges.",
              role: .client, peer: b, hello: firstClient,
              steps: [S.send(.hello(firstClient)), S.send(.done(batches: 0, ops: 0)), S.receive(.hello(server)), S.receive(.done(batches: 0, ops: 0)),
                      S.sendBatch(1), S.send(.done(batches: 1, ops: 0)), S.receive(.ack(1))],
              outcome: .finish),
            S(name: "client-memory-wrong", sections: ["2.4"],
              description: "A remembers B holding 9 of its own ops, B announces 8: A's opening batch does not count, and A sends a closing turn, its batch numbered 2.",
              role: .client, peer: b, hello: client(base: [a: 5, b: 9]),
              steps: [S.send(.hello(client(base: [a: 5, b: 9]))), S.sendBatch(1), S.send(.done(batches: 1, ops: 0)), S.receive(.hello(server)),
                      S.receive(.ack(1)), S.receive(.done(batches: 0, ops: 0)), S.sendBatch(2), S.send(.done(batches: 1, ops: 0)), S.receive(.ack(2))],
              outcome: .finish),
        ]
    }
}
