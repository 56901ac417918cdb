/// Byte strings kept end to end in one buffer: the blobs of rows built on one thread and
/// inserted, then freed, on another (`FlushParts`).
///
/// Why: glibc frees a block in the arena of the thread that allocated it, under that arena's
/// lock. A run's hundred blobs, each its own array, freed on the writer's thread while the
/// builder allocated the next run in the same arena, made the writer wait on that lock: about
/// 0.36 s of a 100,000-note first sync, on the thread that sets the pace (an off-CPU profile).
/// Packed, a run frees two blocks.
struct PackedBytes: Equatable, Sendable, RandomAccessCollection {
    private var bytes: [UInt8] = []
    /// Where each byte string ends in `bytes`; the next one starts there.
    private var ends: [Int] = []

    init() {}

    mutating func append(_ string: [UInt8]) {
        bytes += string
        ends.append(bytes.count)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { ends.count }

    subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]]
    }
}
