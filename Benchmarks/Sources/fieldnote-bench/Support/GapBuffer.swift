import Foundation

/// A plain gap buffer of bytes: what an editor with no CRDT does per keystroke, as the floor
/// the CRDT's cost is compared against.
struct GapBuffer {
    private var storage: [UInt8]
    private var gapStart = 0
    private var gapEnd: Int

    init(capacity: Int = 1 << 16) {
        storage = [UInt8](repeating: 0, count: capacity)
        gapEnd = capacity
    }

    var count: Int { storage.count - (gapEnd - gapStart) }

    mutating func insert(_ bytes: [UInt8], at position: Int) {
        moveGap(to: position)
        if gapEnd - gapStart < bytes.count { grow(by: bytes.count) }
        for byte in bytes {
            storage[gapStart] = byte
            gapStart += 1
        }
    }

    mutating func delete(_ range: Range<Int>) {
        moveGap(to: range.lowerBound)
        gapEnd += range.count
    }

    var bytes: [UInt8] { Array(storage[..<gapStart]) + Array(storage[gapEnd...]) }

    private mutating func moveGap(to position: Int) {
        guard position != gapStart else { return }
        let (start, end) = (gapStart, gapEnd)
        storage.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            if position < start {
                memmove(base + end - (start - position), base + position, start - position)
            } else {
                memmove(base + start, base + end, position - start)
            }
        }
        gapEnd += position - gapStart
        gapStart = position
    }

    private mutating func grow(by needed: Int) {
        let extra = max(needed, storage.count)
        let tail = Array(storage[gapEnd...])
        storage.removeSubrange(gapEnd...)
        storage.append(contentsOf: repeatElement(0, count: extra))
        storage.append(contentsOf: tail)
        gapEnd += extra
    }
}
