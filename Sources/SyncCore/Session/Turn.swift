/// One side's turn of sending (Protocol.md 2.4): batches of ops, in space-name order, then DONE.
public struct Turn: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// The client's, right after its HELLO: the ops it holds above what it remembers the
        /// server holding, sent before the server's HELLO arrives.
        case opening
        /// The server's: the ops it holds above the client's HELLO vectors.
        case answer
        /// The client's, after the server's DONE, for the spaces its opening turn did not cover
        /// (no memory of the server, or the memory was wrong): the ops above the server's HELLO
        /// vectors.
        case closing
    }

    public var kind: Kind
    public var spaces: [TurnSpace]

    public init(kind: Kind, spaces: [TurnSpace]) {
        self.kind = kind
        self.spaces = spaces
    }
}

/// What a turn sends of one space.
public struct TurnSpace: Hashable, Sendable {
    public var space: SpaceID
    /// Every op the sender holds above this vector.
    public var above: VersionVector
    /// The receiver's HELLO entry for the space, when the turn comes after it: where it holds as
    /// many ops of a replica as the sender but announced another chain value, the sender also
    /// sends that replica's last op, so the receiver finds the two histories (2.8). Nil in the
    /// opening turn.
    public var receiver: HelloSpace?

    public init(space: SpaceID, above: VersionVector, receiver: HelloSpace? = nil) {
        self.space = space
        self.above = above
        self.receiver = receiver
    }
}

/// Ops and batches one side sent or received in a session, and what the receiver made of them.
public struct TurnCounts: Hashable, Sendable {
    public var batches = 0
    public var ops = 0
    /// Ops the receiver found new (ACK `applied`).
    public var applied = 0
    /// Batches the receiver read and set aside unapplied: an opening turn's batches for a space
    /// the client's memory of the server got wrong, sent again in the closing turn.
    public var discarded = 0

    public init() {}
}
