@testable import SyncCore

/// A wall clock a test moves by hand, so timestamps repeat exactly from a seed.
final class ManualClock {
    var millis: UInt64
    init(_ millis: UInt64 = 1_700_000_000_000) { self.millis = millis }
    func advance(by delta: UInt64) { millis += delta }
}

/// Replicas with their own manual clocks, and the exchanges between them.
struct Cluster {
    var replicas: [Replica] = []
    var clocks: [ManualClock] = []

    init(count: Int, generator: inout some RandomNumberGenerator) {
        for _ in 0..<count {
            // Clocks disagree by up to a minute, as laptops do.
            let clock = ManualClock(1_700_000_000_000 + UInt64.random(in: 0...60_000, using: &generator))
            clocks.append(clock)
            replicas.append(Replica(id: ReplicaID.random(using: &generator), wallClock: { clock.millis }))
        }
    }

    /// Sends everything `source` has that `target` lacks, in every space, in one ordered batch.
    @discardableResult
    func sync(from source: Int, to target: Int) throws -> Int {
        var sent = 0
        for space in replicas[source].spaces {
            let ops = replicas[source].ops(in: space, missingFrom: replicas[target].versionVector(of: space))
            sent += ops.count
            try replicas[target].receive(ops)
        }
        return sent
    }

    /// Syncs every pair both ways until nothing moves.
    func exchangeAll() throws {
        var moved = true
        var rounds = 0
        while moved {
            rounds += 1
            if rounds > 20 {
                let waiting = replicas.map { replica in replica.pendingOps.map { "\($0)" } }
                throw NotSettled(description: "exchanges did not settle; waiting ops: \(waiting)")
            }
            moved = false
            for source in replicas.indices {
                for target in replicas.indices where source != target {
                    if try sync(from: source, to: target) > 0 { moved = true }
                }
            }
        }
    }
}

extension Replica {
    /// Everything that must agree between converged replicas.
    var canonicalState: CanonicalState {
        CanonicalState(
            entities: entities.filter { _ in true },
            versions: versions.filter { !$0.value.isEmpty },
            logs: Dictionary(uniqueKeysWithValues: spaces.map { space in
                (space, log(of: space).sorted { ($0.id.replica, $0.id.seq) < ($1.id.replica, $1.id.seq) })
            }),
            pending: pendingCount
        )
    }
}

struct CanonicalState: Equatable {
    var entities: [EntityID: EntityState]
    var versions: [SpaceID: VersionVector]
    var logs: [SpaceID: [Op]]
    var pending: Int
}

struct NotSettled: Error, CustomStringConvertible {
    var description: String
}
