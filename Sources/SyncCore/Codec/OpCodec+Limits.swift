extension OpCodec {
    /// The most Unicode scalars a note's live text may hold: one limit for every path that
    /// makes text (`add`, `edit`, import, a peer's ops), and the most one insertion may carry.
    ///
    /// Why one limit: a note a store accepts must also be one every peer accepts. When `add`
    /// allowed more than a peer's decoder did, the note was stored, then refused on the wire,
    /// and every later sync from that store failed on it (Protocol.md 1.7).
    public static let maximumNoteScalars = 1 << 18

    /// How much a decoder accepts from one input.
    ///
    /// Every count read from the wire is checked twice before anything is allocated for it:
    /// against the limit here, and against the bytes left in the input (each element takes at
    /// least one byte, most take more), so a forged count cannot make the decoder reserve more
    /// than the input itself justifies.
    public struct Limits: Hashable, Sendable {
        /// Ops in one batch.
        public var maxOps: Int
        /// Entries in the space table of one batch.
        public var maxSpaces: Int
        /// Entries in the replica table of one batch (op authors and the replicas their character ids and dots name).
        public var maxReplicas: Int
        /// Entries in the entity table of one batch.
        public var maxEntities: Int
        /// UTF-8 bytes of one string: an element, a string field value, the text of one insertion.
        public var maxStringBytes: Int
        /// Unicode scalars in the text of one insertion (each takes a sequence number).
        public var maxTextScalars: Int
        /// Character ranges in one deletion.
        public var maxRangesPerDelete: Int
        /// Observed dots in one set removal.
        public var maxObservedDots: Int
        /// Decompressed bytes of a batch's text block: the most a decoder allocates for it,
        /// however few bytes declare it.
        public var maxBatchTextBytes: Int
        /// Decompressed bytes a text block may declare per byte of its compressed stream (beyond
        /// `textBlockAllowance`). Why: without it, 835 bytes declared a 16 MiB block of one
        /// repeated letter, which became a 16.7 M-character note; prose compresses about 3:1.
        public var maxTextBlockExpansion: Int
        /// Decompressed bytes any text block may declare whatever its stream's length, so small
        /// batches of repetitive text need no special case.
        public var textBlockAllowance: Int

        public init(
            maxOps: Int = 65_536,
            maxSpaces: Int = 256,
            maxReplicas: Int = 65_536,
            maxEntities: Int = 65_536,
            maxStringBytes: Int = 1 << 20,
            maxTextScalars: Int = OpCodec.maximumNoteScalars,
            maxRangesPerDelete: Int = 65_536,
            maxObservedDots: Int = 65_536,
            maxBatchTextBytes: Int = 1 << 24,
            maxTextBlockExpansion: Int = 64,
            textBlockAllowance: Int = 4_096
        ) {
            self.maxOps = maxOps
            self.maxSpaces = maxSpaces
            self.maxReplicas = maxReplicas
            self.maxEntities = maxEntities
            self.maxStringBytes = maxStringBytes
            self.maxTextScalars = maxTextScalars
            self.maxRangesPerDelete = maxRangesPerDelete
            self.maxObservedDots = maxObservedDots
            self.maxBatchTextBytes = maxBatchTextBytes
            self.maxTextBlockExpansion = maxTextBlockExpansion
            self.textBlockAllowance = textBlockAllowance
        }

        /// The limits a sync session uses unless configured otherwise (Protocol.md 1.7).
        public static let `default` = Limits()

        /// The limits for reading a store's own log rows. They hold what this store wrote or
        /// accepted, possibly under older, looser rules (a note longer than the limit written
        /// before it existed): refusing such a row would fail every read of the log, sync
        /// included. Counts are still checked against the bytes left, so decoding stays total.
        public static let stored = Limits(maxStringBytes: Int.max, maxTextScalars: Int.max)

        /// Whether a decoder with these limits takes `payload`'s strings and text: what serving
        /// checks before sending an op this store holds but a peer would refuse.
        public func admits(_ payload: OpPayload) -> Bool {
            func fits(_ string: String) -> Bool { string.utf8.count <= maxStringBytes }
            switch payload {
            case .insertText(_, _, _, let text): return fits(text) && text.unicodeScalars.count <= maxTextScalars
            case .setField(_, let key, .string(let value), _): return fits(key) && fits(value)
            case .addElement(_, let set, let element), .removeElement(_, let set, let element, _): return fits(set) && fits(element)
            default: return true
            }
        }

        /// The largest text block a compressed stream of `streamBytes` bytes may declare.
        public func textBlockCeiling(streamBytes: Int) -> Int {
            let (scaled, overflow) = max(streamBytes, 0).multipliedReportingOverflow(by: max(maxTextBlockExpansion, 0))
            let (ceiling, overflowAgain) = scaled.addingReportingOverflow(max(textBlockAllowance, 0))
            return overflow || overflowAgain ? maxBatchTextBytes : min(maxBatchTextBytes, ceiling)
        }
    }

    /// Whether a text holding `live` scalars may take an insertion of `inserted` more without
    /// passing `maximumNoteScalars`.
    public static func noteAdmits(inserting inserted: Int, into live: Int) -> Bool {
        inserted <= maximumNoteScalars - min(max(live, 0), maximumNoteScalars)
    }
}
