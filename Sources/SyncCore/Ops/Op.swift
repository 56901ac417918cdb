/// One immutable, idempotent change to a space: the unit that is logged, synced and applied.
public struct Op: Hashable, Sendable, CustomStringConvertible {
    public var id: OpID
    /// When the op was made, by its replica's hybrid logical clock. Sync sends ops in this order,
    /// which is causal unless a peer's clock ran far ahead (the clock then adopts its timestamps
    /// only up to a bound); delivery holds back an op until what it names has arrived.
    public var timestamp: Timestamp
    public var payload: OpPayload

    public init(id: OpID, timestamp: Timestamp, payload: OpPayload) {
        self.id = id
        self.timestamp = timestamp
        self.payload = payload
    }

    /// How many sequence numbers the op occupies: characters for an insertion, otherwise one.
    public var span: UInt64 { payload.span }
    /// The last sequence number the op occupies.
    public var lastSeq: UInt64 { id.seq + (span - 1) }
    public var entity: EntityID { payload.entity }
    public var stamp: Stamp { Stamp(timestamp: timestamp, replica: id.replica) }
    public var description: String { "\(id)@\(timestamp) \(payload)" }
}

/// What an op does. Each case's number on the wire is in Protocol.md.
public enum OpPayload: Hashable, Sendable, CustomStringConvertible {
    /// Declares an entity and its kind. Repeating it changes nothing.
    case create(entity: EntityID, kind: EntityKind)
    /// Writes a field (a multi-value register, `FieldRegister`): replaces the register entries
    /// named in `pred` (the ops that wrote them, all in the op's space) and adds itself.
    case setField(entity: EntityID, key: String, value: FieldValue, pred: [Dot] = [])
    /// Adds `element` to the observed-remove set `set`; the op's own id is the tag (dot) of this addition.
    case addElement(entity: EntityID, set: String, element: String)
    /// Removes the additions of `element` that the writer had observed, named by their dots.
    /// An addition the writer had not seen survives: add wins.
    case removeElement(entity: EntityID, set: String, element: String, observed: [Dot])
    /// Inserts `text` into the note body. Its characters take the op's sequence numbers in order;
    /// each is placed after the one before it, the first after `origin` (nil: the start), and
    /// all of them before `rightOrigin` (nil: the end), as the writer saw the text.
    case insertText(entity: EntityID, origin: CharID?, rightOrigin: CharID?, text: String)
    /// Marks characters deleted (they stay as tombstones, so concurrent insertions keep their place).
    case deleteText(entity: EntityID, ranges: [CharRange])
    /// The `deleted` flag, a register like a field's: a note in the bin, restorable until purged.
    case setDeleted(entity: EntityID, deleted: Bool, pred: [Dot] = [])
    /// Erasure: every replica that applies it forgets the entity's content — text, fields, sets
    /// and the payloads of its ops — keeping only ids, so the erasure itself travels on.
    case purge(entity: EntityID)
    /// An op whose payload was erased by a purge of `entity`. It keeps its place in the log
    /// (and its span, so sequence numbers stay gapless) and does nothing.
    case erased(entity: EntityID, span: UInt64)

    public var entity: EntityID {
        switch self {
        case .create(let entity, _), .setField(let entity, _, _, _), .addElement(let entity, _, _),
             .removeElement(let entity, _, _, _), .insertText(let entity, _, _, _),
             .deleteText(let entity, _), .setDeleted(let entity, _, _), .purge(let entity),
             .erased(let entity, _):
            return entity
        }
    }

    public var span: UInt64 {
        switch self {
        case .insertText(_, _, _, let text): UInt64(text.unicodeScalarCount)
        case .erased(_, let span): span
        default: 1
        }
    }

    /// The payload left in the log once `entity` is purged. A `create` stays: it holds only
    /// ids and the kind, and every replica must agree on the kind of what was purged.
    /// The register entries a `setField` or `setDeleted` overwrites; empty for other ops.
    public var pred: [Dot] {
        switch self {
        case .setField(_, _, _, let pred), .setDeleted(_, _, let pred): pred
        default: []
        }
    }

    public var erasedForm: OpPayload {
        switch self {
        case .create, .purge, .erased: self
        default: .erased(entity: entity, span: span)
        }
    }

    public var description: String {
        switch self {
        case .create(let entity, let kind): "create \(kind) \(entity.short)"
        case .setField(let entity, let key, let value, _): "set \(entity.short).\(key) = \(value)"
        case .addElement(let entity, let set, let element): "add \(element) to \(entity.short).\(set)"
        case .removeElement(let entity, let set, let element, let observed):
            "remove \(element) from \(entity.short).\(set) (\(observed.count) seen)"
        case .insertText(let entity, let origin, let right, let text):
            "insert \(text.unicodeScalarCount) chars into \(entity.short) after \(origin.map(String.init(describing:)) ?? "start") before \(right.map(String.init(describing:)) ?? "end")"
        case .deleteText(let entity, let ranges): "delete \(ranges.count) ranges from \(entity.short)"
        case .setDeleted(let entity, let deleted, _): deleted ? "delete \(entity.short)" : "restore \(entity.short)"
        case .purge(let entity): "purge \(entity.short)"
        case .erased(let entity, let span): "erased op of \(entity.short) (\(span) seqs)"
        }
    }
}
