/// A sequence of ops travelling or stored together: what a sync session sends in one frame.
///
/// The ops may come from several replicas and several spaces; their order is preserved by the
/// codec, because sync sends ops in timestamp order and the receiver applies them in that order.
public struct OpBatch: Hashable, Sendable, CustomStringConvertible {
    public var ops: [Op]

    public init(ops: [Op] = []) {
        self.ops = ops
    }

    public var count: Int { ops.count }
    public var isEmpty: Bool { ops.isEmpty }
    public var description: String { "batch of \(ops.count) ops" }
}
