import Transport

/// libFuzzer entry point: bytes as a peer would send them, split into frames and each message
/// decoded by its type. Refusal is fine; a trap or a message that does not round-trip is the finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // A small receive limit, so that inputs exercise the size check as well as the messages.
    if case .mismatch(let what) = WireCheck.check(bytes, frameLimit: 1 << 16) {
        fatalError("wire round trip: \(what)")
    }
    return 0
}
