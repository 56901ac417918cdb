import SyncCore
import Foundation

/// Where the bytes of an encoded history go: each field of each op costed as the version 1
/// full form writes it, for deciding what a denser batch format should target.
enum HistoryStats {
    static func size(_ body: (inout ByteWriter) -> Void) -> Int {
        var writer = ByteWriter()
        body(&writer)
        return writer.bytes.count
    }

    static func print(_ ops: [Op]) {
        var fields: [String: Int] = [:]
        var kinds: [String: Int] = [:]
        var previous: Op? = nil
        var prevOrigin: UInt64 = 0
        for op in ops {
            let millisDelta = Int64(bitPattern: op.timestamp.millis &- (previous?.timestamp.millis ?? 0))
            fields["head(tag,space,replica,seq)", default: 0] += 4
            fields["millis", default: 0] += size { $0.signedVarint(millisDelta) }
            fields["counter", default: 0] += size { $0.varint(UInt64(op.timestamp.counter)) }
            if millisDelta == 0, let previous {
                fields["counter delta (alt)", default: 0] += size { $0.signedVarint(Int64(op.timestamp.counter) - Int64(previous.timestamp.counter)) }
            }
            fields["entity", default: 0] += 1
            switch op.payload {
            case .insertText(_, let origin, let right, let text):
                kinds["insert", default: 0] += 1
                if let origin {
                    fields["origin (own seq - d)", default: 0] += 1 + size { $0.signedVarint(Int64(bitPattern: op.id.seq &- origin.seq)) }
                    fields["origin vs prev origin (alt)", default: 0] += 1 + size { $0.signedVarint(Int64(bitPattern: origin.seq &- prevOrigin)) }
                    prevOrigin = origin.seq
                } else { fields["origin (own seq - d)", default: 0] += 1; fields["origin vs prev origin (alt)", default: 0] += 1 }
                if let right {
                    fields["right", default: 0] += 1 + size { $0.signedVarint(Int64(bitPattern: op.id.seq &- right.seq)) }
                    if let origin { fields["right vs origin (alt)", default: 0] += 1 + size { $0.signedVarint(Int64(bitPattern: right.seq &- origin.seq)) } }
                } else { fields["right", default: 0] += 1; fields["right vs origin (alt)", default: 0] += 1 }
                fields["text length", default: 0] += size { $0.varint(UInt64(text.utf8.count)) }
                fields["text bytes", default: 0] += text.utf8.count
                if text.unicodeScalars.count == 1 { kinds["insert of 1", default: 0] += 1 }
            case .deleteText(_, let ranges):
                kinds["delete", default: 0] += 1
                kinds["delete ranges", default: 0] += ranges.count
                fields["ranges n", default: 0] += 1
                for range in ranges {
                    fields["range start", default: 0] += 1 + size { $0.signedVarint(Int64(bitPattern: op.id.seq &- range.start.seq)) }
                    fields["range start vs prev origin (alt)", default: 0] += 1 + size { $0.signedVarint(Int64(bitPattern: range.start.seq &- prevOrigin)) }
                    fields["range count", default: 0] += size { $0.varint(range.count) }
                    if range.count == 1 { kinds["delete of 1", default: 0] += 1 }
                }
            default:
                kinds["other", default: 0] += 1
            }
            previous = op
        }
        Swift.print("ops \(ops.count)")
        for (key, value) in kinds.sorted(by: { $0.key < $1.key }) { Swift.print("  \(key): \(value)") }
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) { Swift.print("  \(key): \(value) bytes") }
        Swift.print("encoded \(OpCodec.encode(OpBatch(ops: ops)).count)")
        var block: [UInt8] = []
        for op in ops { if case .insertText(_, _, _, let text) = op.payload { block.append(contentsOf: text.utf8) } }
        let clock = ContinuousClock()
        var compressed: [UInt8] = []
        let compressTime = clock.measure { compressed = TextBlock.compress(block) }
        var restored: [UInt8] = []
        let decompressTime = clock.measure { restored = (try? TextBlock.decompress(compressed[...], size: block.count, limit: block.count)) ?? [] }
        Swift.print("text block \(block.count) bytes -> \(compressed.count) compressed (round trip \(restored == block ? "ok" : "FAILED"); compress \(compressTime), decompress \(decompressTime))")
    }
}
