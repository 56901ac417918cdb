/// Edits made elsewhere, addressed by character id.
extension TextSequence {
    /// Places a run of characters made elsewhere. Characters already present are skipped, so
    /// applying an insertion twice changes nothing.
    ///
    /// - Returns: false when `origin` or `rightOrigin` is not in this text (the op is then
    ///   inert), or when the ids would run past the last sequence number.
    @discardableResult
    public mutating func integrate(_ text: String, firstID: CharID, origin: CharID?, rightOrigin: CharID?) -> Bool {
        let scalars = text.unicodeScalarArray
        guard !scalars.isEmpty else { return true }
        guard firstID.seq <= UInt64.max - UInt64(scalars.count) else { return false }
        let known = replicas.index(of: firstID.replica)
        var offset = 0
        while offset < scalars.count {
            let seq = firstID.seq + UInt64(offset)
            var segmentEnd = scalars.count
            if let known, seq < seqEnd[Int(known)] {
                let (atOrBefore, after) = seqIndex[Int(known)].lookup(seq)
                if atOrBefore >= 0, tree.runs[Int(atOrBefore)].end > seq {
                    offset += Int(min(tree.runs[Int(atOrBefore)].end - seq, UInt64(scalars.count - offset)))
                    continue
                }
                if after >= 0, tree.runs[Int(after)].seq - seq < UInt64(scalars.count - offset) {
                    segmentEnd = offset + Int(tree.runs[Int(after)].seq - seq)
                }
            }
            // The first missing character hangs off the given origin; later ones off the
            // character before them, which is present by now.
            let originRef: CharRef
            if offset == 0 {
                guard let origin else { return integrateSegment(scalars[..<segmentEnd], firstID: firstID, origin: .none, rightOrigin: rightOrigin) }
                guard let ref = ref(origin) else { return false }
                originRef = ref
            } else {
                originRef = CharRef(replica: known ?? replicas.index(of: firstID.replica)!, seq: seq - 1)
            }
            guard integrateSegment(scalars[offset..<segmentEnd], firstID: CharID(replica: firstID.replica, seq: seq),
                                   origin: originRef, rightOrigin: rightOrigin)
            else { return false }
            offset = segmentEnd
        }
        return true
    }

    /// Marks the named characters deleted; ids not present are ignored. Returns how many became deleted.
    @discardableResult
    public mutating func delete(ranges: [CharRange]) -> Int {
        var deleted = 0
        for range in ranges where range.count > 0 {
            guard let replica = replicas.index(of: range.replica), Int(replica) < seqIndex.count else { continue }
            let last = range.start.seq > UInt64.max - (range.count - 1) ? UInt64.max : range.start.seq + (range.count - 1)
            var seq = range.start.seq
            while true {
                let (atOrBefore, after) = seqIndex[Int(replica)].lookup(seq)
                let holder: Int32
                if atOrBefore >= 0, tree.runs[Int(atOrBefore)].end > seq {
                    holder = atOrBefore
                } else if after >= 0, tree.runs[Int(after)].seq <= last {
                    holder = after
                    seq = tree.runs[Int(after)].seq
                } else {
                    break
                }
                let run = tree.runs[Int(holder)]
                let upTo = min(run.end - 1, last)
                if !run.isDeleted {
                    let count = Int(upTo - seq) + 1
                    cursor = Cursor()
                    deleteVisible(holder, offset: Int(seq - run.seq), count: count)
                    deleted += count
                }
                if upTo == last { break }
                seq = upTo + 1
            }
        }
        return deleted
    }

    /// Integrates characters none of which is present yet, the first hanging off `origin`.
    private mutating func integrateSegment(
        _ scalars: ArraySlice<Unicode.Scalar>, firstID: CharID, origin: CharRef, rightOrigin: CharID?
    ) -> Bool {
        var originLocation: Location? = nil
        if origin.exists {
            // Replaying a peer's typing, the origin is most often the last character placed.
            if placedLast >= 0, tree.runs[Int(placedLast)].covers(origin) {
                originLocation = Location(run: placedLast, offset: Int(origin.seq - tree.runs[Int(placedLast)].seq))
            } else {
                guard let found = location(of: origin) else { return false }
                originLocation = found
            }
        }
        var rightRef = CharRef.none
        if let rightOrigin {
            guard let ref = ref(rightOrigin) else { return false }
            rightRef = ref
        }
        // A remote edit may land before the cursor's leaf and shift it.
        cursor = Cursor()
        let next = originLocation.map { location(after: $0) } ?? firstLocation
        let nextRef = next.map { tree.runs[Int($0.run)].id(at: $0.offset) } ?? .none
        let after: Location?
        if nextRef == rightRef {
            // Usually nothing was inserted concurrently between the two neighbours: the new
            // text goes right between them without a scan.
            after = originLocation
        } else {
            var rightLocation: Location? = nil
            if rightRef.exists {
                guard let found = location(of: rightRef) else { return false }
                rightLocation = found
            }
            after = destination(for: firstID, origin: originLocation, right: rightLocation, next: next)
        }
        let replica = internReplica(firstID.replica)
        placedLast = place(scalars, replica: replica, seq: firstID.seq, origin: origin, rightOrigin: rightRef, after: after)
        return true
    }

    private var firstLocation: Location? {
        let first = tree.firstRun
        return first < 0 ? nil : Location(run: first, offset: 0)
    }

    /// YjsMod integration: scan the characters between the new text's neighbours and stop
    /// before the first one that must come after it. Returns the character the new text
    /// follows (nil: the start).
    ///
    /// This is the reference scan character for character, in absolute indices, except that
    /// past the first character looked at in a run it steps over the rest of the run at once:
    /// their origins are the characters before them, which lie after `left`, so the scan would
    /// only walk past them, unless `right` lies among them.
    private func destination(for id: CharID, origin: Location?, right rightLocation: Location?, next: Location?) -> Location? {
        let total = tree.totalCount
        let left = origin.map(absoluteIndex) ?? -1
        let right = rightLocation.map(absoluteIndex) ?? total
        var destination = left + 1
        var scanning = false
        var index = left + 1
        var current = next
        while true {
            if !scanning { destination = index }
            guard let here = current, index != right else { break }
            let run = tree.runs[Int(here.run)]
            let otherLeft = here.offset == 0 ? (location(of: run.origin).map(absoluteIndex) ?? -1) : index - 1
            if otherLeft < left { break }
            if otherLeft == left {
                let otherRight = location(of: run.rightOrigin).map(absoluteIndex) ?? total
                if otherRight < right {
                    scanning = true
                } else if otherRight == right {
                    if id.replica < replicas[run.replica] { break }
                    scanning = false
                } else {
                    scanning = false
                }
            }
            let runEnd = index + run.length - here.offset
            if right > index && right < runEnd {
                index = right
                if !scanning { destination = index }
                break
            }
            index = runEnd
            let following = tree.run(after: here.run)
            current = following < 0 ? nil : Location(run: following, offset: 0)
        }
        if destination == left + 1 { return origin }
        let (run, offset) = tree.run(atTotal: destination - 1)
        return Location(run: run, offset: offset)
    }
}
