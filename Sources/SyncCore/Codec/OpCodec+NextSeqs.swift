extension OpCodec {
    /// The key of "the next sequence number expected" from one replica in one space.
    struct SeqKey: Hashable {
        var space: Int
        var replica: Int
    }

    /// Per (space, replica) of a batch, the sequence number its next op is expected to have.
    ///
    /// A batch is mostly long stretches of one replica's ops, so the entry written last is kept
    /// out of the dictionary until another key is written: reading and advancing it, once or
    /// twice an op in both the encoder and the decoder, then costs a comparison instead of hashing.
    struct NextSeqs {
        private var settled: [SeqKey: UInt64] = [:]
        private var lastKey = SeqKey(space: -1, replica: -1)
        private var lastValue: UInt64 = 1

        /// The next sequence number expected under `key`: 1 before any op of it.
        @inline(__always) func next(_ key: SeqKey) -> UInt64 {
            key == lastKey ? lastValue : settled[key, default: 1]
        }

        /// Records that `key`'s next op is expected at `value`.
        @inline(__always) mutating func set(_ key: SeqKey, _ value: UInt64) {
            if key != lastKey {
                if lastKey.space >= 0 { settled[lastKey] = lastValue }
                lastKey = key
            }
            lastValue = value
        }
    }
}
