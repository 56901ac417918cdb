@testable import SyncCore

/// The sessions of `sessions/transcripts.json` that a side must refuse, each at one message
/// breaking one rule of Protocol.md 2.3–2.5, with the code of 2.7 and whether ERROR is sent.
///
/// Why each case breaks one rule only: the spec does not order the checks of a HELLO, so a
/// HELLO breaking two could fairly be refused under either code. The self-connection case
/// therefore expects the peer's key to speak for the side's own replica (a copied identity), so
/// that it is not also forged.
enum FixtureTranscriptRefusals {
    typealias S = SessionScript
    typealias H = FixtureHellos
    typealias T = FixtureTranscripts
    static let (a, b, d) = (T.a, T.b, T.d)
    static let server = T.server
    static let based = T.client(base: [a: 5, b: 8])

    /// A server that has read A's HELLO and sent its own, then reads `then`.
    static func serverAfterHello(_ name: String, _ section: String, _ description: String, client: Hello = based, then: [S.Step],
                                 _ outcome: S.Outcome, serverHello: Hello = server) -> SessionScript {
        S(name: name, sections: [section], description: description, role: .server, peer: a, hello: serverHello,
          steps: [S.receive(.hello(client)), S.send(.hello(serverHello))] + then, outcome: outcome)
    }

    /// A client that has sent its HELLO and opening turn (`opening` batches), then reads `then`.
    static func clientAfterOpening(_ name: String, _ section: String, _ description: String, hello: Hello = T.firstClient, opening: UInt64 = 0,
                                   then: [S.Step], _ outcome: S.Outcome) -> SessionScript {
        S(name: name, sections: [section], description: description, role: .client, peer: b, hello: hello,
          steps: [S.send(.hello(hello))] + (0..<opening).map { S.sendBatch($0 + 1) } + [S.send(.done(batches: opening, ops: 0))] + then, outcome: outcome)
    }

    static func serverFirst(_ name: String, _ section: String, _ description: String, _ first: S.Message, _ outcome: S.Outcome,
                            peer: ReplicaID = a, serverHello: Hello = server) -> SessionScript {
        S(name: name, sections: [section], description: description, role: .server, peer: peer, hello: serverHello, steps: [S.receive(first)], outcome: outcome)
    }

    static var all: [SessionScript] { hellos + turns }

    static var hellos: [SessionScript] {
        [
            serverFirst("server-versions-do-not-meet", "2.4", "A speaks versions 3 to 6, B only 7.",
                        .hello(H.hello(a, versions: 3...6, [H.space(.team)])), S.failed(.versionMismatch)),
            clientAfterOpening("client-unspoken-version-chosen", "2.4", "B's HELLO chooses version 8, which A does not speak.",
                               then: [S.receive(.hello(H.hello(b, versions: 8...8, [H.space(.team)])))], S.failed(.versionMismatch)),
            clientAfterOpening("client-server-hello-gives-a-range", "2.4", "B's HELLO gives versions 7 to 8: a server's min and max are the one version chosen.",
                               then: [S.receive(.hello(H.hello(b, versions: 7...8, [H.space(.team)])))], S.failed(.versionMismatch)),
            serverFirst("server-hello-claims-another-replica", "2.4", "A's key speaks for replica A, its HELLO claims D.",
                        .hello(H.hello(d, [H.space(.team)])), S.failed(.forged)),
            clientAfterOpening("client-hello-claims-another-replica", "2.4", "B's key speaks for replica B, its HELLO claims D.",
                               then: [S.receive(.hello(H.hello(d, [H.space(.team)])))], S.failed(.forged)),
            serverFirst("server-hello-of-its-own-replica", "2.4", "The peer's key speaks for B's own replica, and its HELLO claims it (a copied identity).",
                        .hello(H.hello(b, [H.space(.team)])), S.failed(.selfConnection), peer: b),
            serverFirst("server-frame-limit-below-64-kib", "2.3", "A announces max_frame 65 535, one byte below the least allowed.",
                        .hello(H.hello(a, maxFrame: 65_535, [H.space(.team)])), S.failed(.malformed)),
            clientAfterOpening("client-server-hello-gives-a-base", "2.4", "B's HELLO gives team a base; only a client's may.",
                               then: [S.receive(.hello(H.hello(b, [H.space(.team, base: [:])])))], S.failed(.malformed)),
            serverAfterHello("server-second-hello", "2.4", "A sends HELLO twice.", then: [S.receive(.hello(based))], S.failed(.unexpectedMessage)),
            clientAfterOpening("client-second-hello", "2.4", "B sends HELLO twice.",
                               then: [S.receive(.hello(server)), S.receive(.hello(server))], S.failed(.unexpectedMessage)),
            clientAfterOpening("client-busy-instead-of-hello", "2.6", "B answers ERROR busy instead of HELLO: A stops and sends no ERROR of its own.",
                               then: [S.receive(.error(.busy, "no session slot came free"))], S.failed(.busy, errorSent: false)),
            serverFirst("server-frame-over-its-limit", "2.3", "B accepts 64 KiB frames; the first frame's length is 65 537. B refuses it on the 4-byte length alone, reading no more.",
                        .raw([0x00, 0x01, 0x00, 0x01], "a frame header announcing 65 537 bytes"), S.failed(.frameTooLarge),
                        serverHello: H.hello(b, maxFrame: 64 << 10, [H.space(.team, [a: 5, b: 8])])),
            serverFirst("server-empty-frame", "2.3", "A frame of length 0.", .raw([0x00, 0x00, 0x00, 0x00], "a frame of length 0"), S.failed(.malformed)),
            serverFirst("server-batch-before-hello", "2.4", "A BATCH where HELLO is due.", .batch(1, .team), S.failed(.unexpectedMessage)),
            serverFirst("server-done-before-hello", "2.4", "A DONE where HELLO is due.", .done(batches: 0, ops: 0), S.failed(.unexpectedMessage)),
            clientAfterOpening("client-batch-before-hello", "2.4", "B sends a BATCH before its HELLO.",
                               then: [S.receive(.batch(1, .team))], S.failed(.unexpectedMessage)),
            clientAfterOpening("client-done-before-hello", "2.4", "B sends DONE before its HELLO: its answer turn comes after its HELLO.",
                               then: [S.receive(.done(batches: 0, ops: 0))], S.failed(.unexpectedMessage)),
        ]
    }

    static var turns: [SessionScript] {
        [
            serverAfterHello("server-opening-batch-without-base", "2.4", "An opening BATCH for team, which A's HELLO gave no base.",
                             client: T.firstClient, then: [S.receive(.batch(1, .team))], S.failed(.malformed)),
            serverAfterHello("server-batch-number-skipped", "2.4", "The first BATCH is numbered 2.", then: [S.receive(.batch(2, .team))], S.failed(.malformed)),
            serverAfterHello("server-done-counts-batches-wrong", "2.4", "One batch came; DONE says 2.",
                             then: [S.apply(1), S.send(.ack(1)), S.receive(.done(batches: 2, ops: 0))], S.failed(.malformed)),
            serverAfterHello("server-done-counts-ops-wrong", "2.4", "One batch of no op came; DONE says 3 ops.",
                             then: [S.apply(1), S.send(.ack(1)), S.receive(.done(batches: 1, ops: 3))], S.failed(.malformed)),
            serverAfterHello("server-done-with-a-byte-after-its-counts", "2.5", "A DONE body of 00 00 00: a byte after the two counts.",
                             then: [S.receive(.raw([0x00, 0x00, 0x00, 0x04, 0x04, 0x00, 0x00, 0x00], "DONE 0 0 and a byte 00"))], S.failed(.malformed)),
            serverAfterHello("server-unknown-message-type", "2.7", "A frame of type 0x06, which the protocol does not have.",
                             then: [S.receive(.raw([0x00, 0x00, 0x00, 0x01, 0x06], "a frame of type 0x06"))], S.failed(.malformed)),
            serverAfterHello("server-ack-when-no-batch-awaits", "2.4", "An ACK where B sent no BATCH.",
                             then: [S.receive(.ack(1))], S.failed(.unexpectedMessage)),
            clientAfterOpening("client-ack-for-the-wrong-batch", "2.4", "A sent batches 1 and 2; the first ACK is for 2.", hello: based, opening: 2,
                               then: [S.receive(.hello(server)), S.receive(.ack(2))], S.failed(.malformed)),
            serverAfterHello("server-closing-batch-when-none-is-due", "2.4",
                             "The opening covers team, so there is no closing turn; B waits for the ACK of its answer batch and gets a BATCH.",
                             then: [S.receive(.done(batches: 0, ops: 0)), S.sendBatch(1), S.send(.done(batches: 1, ops: 0)), S.receive(.batch(1, .team))],
                             S.failed(.unexpectedMessage)),
            closing("server-closing-batch-for-a-read-only-space", "A's closing BATCH is for team, which B takes read-only.", .team, .readOnly),
            closing("server-closing-batch-for-a-space-not-exchanged", "A's closing BATCH is for field, which B does not offer.", T.field, .spaceNotGranted),
            clientAfterOpening("client-answer-batch-for-a-read-only-space", "2.4", "A takes team read-only; B's answer sends a BATCH for it.",
                               hello: H.hello(a, [H.space(.team, accepts: false, [a: 7])]),
                               then: [S.receive(.hello(server)), S.receive(.batch(1, .team))], S.failed(.readOnly)),
            clientAfterOpening("client-done-again-after-the-answer", "2.4", "A's closing turn is sent; B sends a second DONE where ACK 1 is due.",
                               then: [S.receive(.hello(server)), S.receive(.done(batches: 0, ops: 0)), S.sendBatch(1), S.send(.done(batches: 1, ops: 0)),
                                      S.receive(.done(batches: 0, ops: 0))], S.failed(.unexpectedMessage)),
        ]
    }

    /// B takes evidence read-write and team read-only; A offers evidence, field and team with no
    /// base, so after the answer A's closing turn is for evidence alone, and a BATCH for `space`
    /// is refused with `code`.
    static func closing(_ name: String, _ description: String, _ space: SpaceID, _ code: SessionError.Code) -> SessionScript {
        let serverHello = H.hello(b, [H.space(.evidence), H.space(.team, accepts: false, [b: 8])])
        let client = H.hello(a, [H.space(.evidence), H.space(T.field), H.space(.team, [a: 7])])
        return serverAfterHello(name, "2.4", description, client: client,
                                then: [S.receive(.done(batches: 0, ops: 0)), S.send(.done(batches: 0, ops: 0)), S.receive(.batch(1, space))],
                                S.failed(code), serverHello: serverHello)
    }
}
