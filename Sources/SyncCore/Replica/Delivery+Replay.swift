/// Replaying one entity's ops from a log.
extension Delivery {
    /// One entity's ops in an order causal delivery could have applied them: each replica's in
    /// seq order, and every op after the ops it names. A log kept in timestamp order is not
    /// always that: a receiver's clock is held to its wall time (Protocol.md 1.10), so an op
    /// written after seeing another can carry the smaller timestamp.
    ///
    /// An op naming something none of these ops holds cannot become ready by waiting; when only
    /// such ops are left, the one with the smallest stamp goes next (and stays inert where it
    /// names what is absent, as when it was first applied).
    public static func causalOrder(ofEntityOps ops: [Op]) -> [Op] {
        var queues = Dictionary(grouping: ops, by: \.id.replica).mapValues { ArraySlice($0.sorted { $0.id.seq < $1.id.seq }) }
        let replicas = queues.keys.sorted()
        var ordered: [Op] = []
        ordered.reserveCapacity(ops.count)
        while ordered.count < ops.count {
            // Of each replica, everything below its next op here is applied: its other seqs are
            // other entities' ops, never named by this entity's.
            var applied = VersionVector(queues.mapValues { ($0.first?.id.seq ?? UInt64.max) &- 1 })
            var progressed = false
            for replica in replicas {
                while let next = queues[replica]?.first, dependenciesMet(next, applied) {
                    ordered.append(next)
                    queues[replica]!.removeFirst()
                    _ = applied.advance(replica, to: (queues[replica]!.first?.id.seq ?? UInt64.max) &- 1)
                    progressed = true
                }
            }
            if progressed { continue }
            let stuck = replicas.compactMap { replica in queues[replica]!.first }.min { $0.stamp < $1.stamp }!
            ordered.append(stuck)
            queues[stuck.id.replica]!.removeFirst()
        }
        return ordered
    }
}
