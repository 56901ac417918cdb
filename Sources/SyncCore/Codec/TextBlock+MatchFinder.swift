extension TextBlock {
    /// Hash chains over the input of `compress`: for each position, the earlier positions whose
    /// first 4 bytes hash alike, newest first.
    ///
    /// Why its own type, over raw buffers: compressing a batch's text was about a fifth of the
    /// sending thread's time in a 100,000-note first sync, most of it comparing candidates byte
    /// by byte through checked array subscripts. Here the comparisons read the buffers directly,
    /// and a candidate that cannot beat the best match so far is passed over after one byte
    /// (below). The matches chosen are the same.
    struct MatchFinder {
        static let hashBits = 16

        private let input: UnsafeBufferPointer<UInt8>
        /// The newest position per hash bucket, -1 when none.
        private let head: UnsafeMutableBufferPointer<Int32>
        /// The next older position of the same bucket, per position.
        private let previous: UnsafeMutableBufferPointer<Int32>
        /// Positions below this are in the chains; a search at p sees only earlier ones.
        private var indexed = 0

        init(_ input: UnsafeBufferPointer<UInt8>) {
            self.input = input
            head = .allocate(capacity: 1 << Self.hashBits)
            head.initialize(repeating: -1)
            previous = .allocate(capacity: input.count)
            previous.initialize(repeating: -1)
        }

        func deallocate() {
            head.deallocate()
            previous.deallocate()
        }

        mutating func index(upTo end: Int) {
            while indexed < min(end, input.count) {
                if indexed + TextBlock.minimumMatch <= input.count {
                    let bucket = hash(indexed)
                    previous[indexed] = head[bucket]
                    head[bucket] = Int32(indexed)
                }
                indexed += 1
            }
        }

        /// The match at `position` that saves the most bytes over literals, (0, 0) when none does.
        ///
        /// A later candidate lies farther back, so its distance costs at least as many bytes as
        /// the best's, and `length - varintSize(length - 4)` never falls as length grows: a
        /// candidate no longer than the best saves no more, and loses the tie. So a candidate
        /// whose byte at the best's length differs is passed over, and once the best match runs
        /// to the end of the input the search stops.
        func longestMatch(at position: Int) -> (length: Int, distance: Int) {
            let count = input.count
            guard position + TextBlock.minimumMatch <= count else { return (0, 0) }
            var candidate = Int(head[hash(position)])
            var best = (length: 0, distance: 0)
            var bestGain = 0
            var tries = 0
            while candidate >= 0 && tries < TextBlock.chainDepth {
                defer {
                    candidate = Int(previous[candidate])
                    tries += 1
                }
                if best.length > 0 {
                    if position + best.length >= count { break }
                    if input[candidate + best.length] != input[position + best.length] { continue }
                }
                var length = 0
                while position + length < count && input[candidate + length] == input[position + length] { length += 1 }
                if length >= TextBlock.minimumMatch {
                    let distance = position - candidate
                    let gain = length - TextBlock.matchCost(length: length, distance: distance)
                    if gain > bestGain {
                        best = (length, distance)
                        bestGain = gain
                    }
                }
            }
            return best
        }

        private func hash(_ position: Int) -> Int {
            let word = UInt32(input[position]) | UInt32(input[position + 1]) << 8
                | UInt32(input[position + 2]) << 16 | UInt32(input[position + 3]) << 24
            return Int((word &* 2_654_435_761) >> UInt32(32 - Self.hashBits))
        }
    }
}
