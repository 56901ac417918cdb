@testable import SyncCore

/// The scenarios of `Tests/Fixtures/protocol/merges`: replicas editing concurrently, their ops
/// cut into batches, and what every note must look like once a replica has them all.
///
/// Why the ops come from real replicas: their preds, observed dots and origins are then exactly
/// what a writer following Protocol.md 6.5 and 1.10 produces. The replica ids order A < B < C and
/// the clocks are set by hand, so each tie-break is the one the scenario means to show, and the
/// files come out the same on every run. Each scenario also states, by hand, what the spec says
/// the outcome is (`claims`): the generator and the check hold the computed state to it.
struct MergeScenario {
    var name: String
    var sections: [String]
    var description: String
    var batches: [(label: String, ops: [Op])] = []
    var claims: [(String, (Replica) -> Bool)] = []

    /// Replicas A, B, C (ids 01…, 02…, 03…) whose wall clocks the scenario sets.
    final class Writers {
        /// Each replica's wall clock, in ms after the start.
        var now: [UInt64] = [0, 0, 0]
        lazy var replicas = [FixtureBatches.a, FixtureBatches.b, FixtureBatches.c].enumerated().map { index, id in
            Replica(id: id, wallClock: { [unowned self] in FixtureBatches.start + self.now[index] })
        }
        /// Per replica, the last seq of its own ops already put in a batch, per space.
        var batched: [[SpaceID: UInt64]] = [[:], [:], [:]]

        subscript(index: Int) -> Replica { replicas[index] }

        /// Sets the wall clocks of `writers` (all by default) to `elapsed` ms after the start.
        func at(_ elapsed: UInt64, _ writers: Int...) {
            for writer in writers.isEmpty ? [0, 1, 2] : writers { now[writer] = elapsed }
        }

        /// The ops `writer` made since its last batch: what it would send next.
        func take(_ writer: Int) -> [Op] {
            let replica = replicas[writer]
            var ops: [Op] = []
            for space in replica.spaces {
                let fresh = replica.log(of: space).filter { $0.id.replica == replica.id && $0.lastSeq > batched[writer][space, default: 0] }
                ops += fresh
                if let last = fresh.last { batched[writer][space] = last.lastSeq }
            }
            return ops
        }

        /// Delivers everything `source` holds that `target` lacks.
        func sync(_ source: Int, to target: Int) throws {
            for space in replicas[source].spaces {
                try replicas[target].receive(replicas[source].ops(in: space, missingFrom: replicas[target].versionVector(of: space)))
            }
        }
    }

    let writers = Writers()

    /// Puts the ops `writer` made since its last batch into a batch of their own.
    mutating func batch(_ writer: Int, _ label: String) {
        batches.append((label, writers.take(writer)))
    }

    mutating func claim(_ what: String, _ holds: @escaping (Replica) -> Bool) {
        claims.append((what, holds))
    }

    /// A fresh replica that has received `batches` in the given order, one `receive` each.
    static func replay(_ batches: some Sequence<[Op]>) throws -> Replica {
        let receiver = Replica(id: ReplicaID(high: 0xEE << 56, low: 0xEE), wallClock: { FixtureBatches.start })
        for batch in batches { try receiver.receive(batch) }
        return receiver
    }
}
