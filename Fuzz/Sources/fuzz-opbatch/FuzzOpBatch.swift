import SyncCore

/// libFuzzer entry point: any bytes either fail to decode with a `CodecError` or decode to a
/// batch that encodes and decodes back to an equal batch. A trap is the finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOpBatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let batch = try? OpCodec.decode(bytes) else { return 0 }
    let encoded = OpCodec.encode(batch)
    let again: OpBatch
    do { again = try OpCodec.decode(encoded) } catch {
        fatalError("a decoded batch re-encodes to bytes its decoder refuses: \(error)")
    }
    precondition(again == batch, "a decoded batch does not round-trip")
    return 0
}
