extension OpCodec {
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

        public init(
            maxOps: Int = 65_536,
            maxSpaces: Int = 256,
            maxReplicas: Int = 65_536,
            maxEntities: Int = 65_536,
            maxStringBytes: Int = 1 << 20,
            maxTextScalars: Int = 1 << 18,
            maxRangesPerDelete: Int = 65_536,
            maxObservedDots: Int = 65_536,
            maxBatchTextBytes: Int = 1 << 24
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
        }

        /// The limits a store and a sync session use unless configured otherwise (Protocol.md 1.7).
        public static let `default` = Limits()
    }
}
